import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /assets`: each asset with its producers (DAG and task), consumers (DAGs scheduled on it)
/// and its last update; `GET /assets/{id}`: one asset's recent events and the runs they started.
enum AssetsPage {
    static let recentEvents = 50

    static var routes: [WebRoute] {
        [
            .page(.get, "/assets", navigation: "Assets") { request in
                let assets = try await request.context.store.assets()
                return PageLayout.page(request, title: "Assets") { html in
                    html.element("h1", text: "Assets")
                    if assets.isEmpty { html.element("p", ["class": "muted"], text: "No DAG declares an asset.") }
                    html.element("table", ["class": "list assets"]) { html in
                        html.raw("<thead><tr><th>Asset</th><th>Producers</th><th>Consumers</th><th>Last update</th></tr></thead><tbody>")
                        for record in assets {
                            html.open("tr", ["data-asset": record.asset.uri])
                            html.element("td") { html in
                                html.element("a", ["href": PagePath.asset(record.id)]) { html in
                                    html.element("strong", text: record.asset.name)
                                }
                                html.element("div", ["class": "mono muted"], text: record.asset.uri)
                            }
                            html.element("td") { html in producers(&html, record) }
                            html.element("td") { html in consumers(&html, record) }
                            html.element("td") { html in
                                if let event = record.lastEvent {
                                    TimeText.render(&html, event.timestamp)
                                    if event.sourceDagId.isEmpty {
                                        html.text(" from outside Updraft (the API)")
                                    } else {
                                        html.text(" by ")
                                        html.element(
                                            "a", ["href": PagePath.run(event.sourceDagId, event.sourceRunId)], text: event.sourceDagId)
                                    }
                                } else {
                                    html.raw("<span class=\"muted\">never</span>")
                                }
                            }
                            html.close("tr")
                        }
                        html.raw("</tbody>")
                    }
                }
            },
            .page(.get, "/assets/{asset_id}") { request in
                let store = request.context.store
                guard let id = Int64(request.path("asset_id")), let record = try await store.assets().first(where: { $0.id == id }) else {
                    throw APIError.notFound("The Asset with id: `\(request.path("asset_id"))` was not found")
                }
                let events = try await store.assetEvents(AssetEventQuery(assetId: id, limit: recentEvents, orderBy: "-timestamp")).events
                var started: [Int64: [RunKey]] = [:]
                for event in events { started[event.id] = try await store.runsConsuming(events: [event.id]) }
                return PageLayout.page(request, title: record.asset.name, crumbs: [Crumb("Assets", "/assets"), Crumb(record.asset.name)]) {
                    html in
                    html.element("h1", text: record.asset.name)
                    html.element("dl", ["class": "facts"]) { html in
                        html.element("dt", text: "URI")
                        html.element("dd", ["class": "mono"], text: record.asset.uri)
                        html.element("dt", text: "Group")
                        html.element("dd", text: record.asset.group)
                        html.element("dt", text: "Producers")
                        html.element("dd") { html in producers(&html, record) }
                        html.element("dt", text: "Consumers")
                        html.element("dd") { html in consumers(&html, record) }
                    }
                    html.element("h2", text: "Recent events")
                    if events.isEmpty { html.element("p", ["class": "muted"], text: "No events yet.") }
                    html.element("table", ["class": "list events"]) { html in
                        html.raw("<thead><tr><th>When</th><th>Source</th><th>Extra</th><th>Runs started</th></tr></thead><tbody>")
                        for event in events {
                            html.open("tr")
                            html.element("td") { html in TimeText.render(&html, event.timestamp) }
                            html.element("td") { html in
                                if event.sourceDagId.isEmpty {
                                    html.element("span", ["class": "muted"], text: "outside Updraft (the API)")
                                } else {
                                    html.element(
                                        "a", ["href": PagePath.run(event.sourceDagId, event.sourceRunId)],
                                        text: event.sourceDagId + " · " + event.sourceRunId)
                                }
                                if !event.sourceTaskId.isEmpty {
                                    html.element("span", ["class": "mono muted"], text: " " + event.sourceTaskId)
                                }
                            }
                            html.element(
                                "td", ["class": "mono muted"],
                                text: event.extra.isEmpty ? "" : String(JSONValue.object(event.extra).description.prefix(300)))
                            html.element("td") { html in
                                for key in started[event.id] ?? [] {
                                    html.element("a", ["href": PagePath.run(key.dagId, key.runId)], text: key.dagId + " · " + key.runId)
                                    html.raw(" ")
                                }
                            }
                            html.close("tr")
                        }
                        html.raw("</tbody>")
                    }
                }
            },
        ]
    }

    static func producers(_ html: inout HTML, _ record: AssetRecord) {
        if record.producingTasks.isEmpty { html.raw("<span class=\"muted\">external</span>") }
        for task in record.producingTasks {
            html.element("a", ["href": PagePath.grid(task.dagId)], text: task.dagId)
            html.element("span", ["class": "mono muted"], text: "." + task.taskId + " ")
        }
    }

    static func consumers(_ html: inout HTML, _ record: AssetRecord) {
        if record.consumingDAGs.isEmpty { html.raw("<span class=\"muted\">none</span>") }
        for dagId in record.consumingDAGs {
            html.element("a", ["href": PagePath.grid(dagId)], text: dagId)
            html.raw(" ")
        }
    }
}
