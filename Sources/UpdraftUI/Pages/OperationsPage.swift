import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /operations`: pools (slots open and running), backfills (progress; cancel for users whose
/// role allows it), the notification outbox (what was sent, what waits, why it failed), variables
/// and connections (secrets masked), and the audit log.
enum OperationsPage {
    /// Audit log entries shown (newest first), and the page size of `?audit_offset=`.
    static let auditRows = 50
    /// Outbox messages shown, newest first.
    static let notificationRows = 25

    static var routes: [WebRoute] {
        [
            .page(.get, "/operations", navigation: "Operations") { request in
                let store = request.context.store
                let engine = request.context.engine
                let pools = try await PoolRoutes.allPools(store)
                let usage = try await PoolRoutes.slotUsage(store)
                let backfills = try await store.backfills(dagId: nil, activeOnly: false).sorted { $0.id > $1.id }.prefix(25)
                var progress: [Int64: BackfillProgress] = [:]
                for backfill in backfills { progress[backfill.id] = try await engine.backfillProgress(id: backfill.id) }
                let messages = try await store.notifications(NotificationQuery(limit: notificationRows))
                let variables = try await store.variables()
                let connections = try await store.connections()
                let auditOffset = max(Int(request.query("audit_offset") ?? "") ?? 0, 0)
                let audit = try await store.eventLogs(EventLogQuery(limit: auditRows, offset: auditOffset, orderBy: "-id"))
                let canAct = request.allows(.user)
                return PageLayout.page(request, title: "Operations") { html in
                    html.element("h1", text: "Operations")
                    html.element("nav", ["class": "tabs", "aria-label": "Sections"]) { html in
                        for (id, title) in [
                            ("pools", "Pools"), ("backfills", "Backfills"), ("notifications", "Notifications"),
                            ("variables", "Variables"), ("connections", "Connections"),
                            ("audit", "Audit log"),
                        ] {
                            html.element("a", ["href": "#" + id], text: title)
                        }
                    }
                    html.element("h2", ["id": "pools"], text: "Pools")
                    html.element("table", ["class": "list pools"]) { html in
                        html.raw(
                            "<thead><tr><th>Pool</th><th class=\"num\">Slots</th><th class=\"num\">Running</th><th class=\"num\">Queued</th><th class=\"num\">Scheduled</th><th class=\"num\">Open</th><th>Description</th></tr></thead><tbody>"
                        )
                        for pool in pools {
                            let used = usage[pool.name] ?? (0, 0, 0)
                            html.open("tr", ["data-pool": pool.name])
                            html.element("td", ["class": "mono"], text: pool.name)
                            html.element("td", ["class": "num"]) { $0.text(pool.slots) }
                            html.element("td", ["class": "num"]) { $0.text(used.running) }
                            html.element("td", ["class": "num"]) { $0.text(used.queued) }
                            html.element("td", ["class": "num"]) { $0.text(used.scheduled) }
                            html.element("td", ["class": "num"]) { $0.text(max(pool.slots - used.running - used.queued, 0)) }
                            html.element("td", ["class": "muted"], text: pool.description)
                            html.close("tr")
                        }
                        html.raw("</tbody>")
                    }
                    html.element("h2", ["id": "backfills"], text: "Backfills")
                    if backfills.isEmpty {
                        html.element(
                            "p", ["class": "muted"],
                            text: "No backfills. Start one with `updraft backfill create` or POST /api/v2/backfills.")
                    } else {
                        html.element("table", ["class": "list backfills"]) { html in
                            html.raw(
                                "<thead><tr><th>Id</th><th>DAG</th><th>Range</th><th>Progress</th><th>Status</th><th></th></tr></thead><tbody>"
                            )
                            for backfill in backfills {
                                let done = progress[backfill.id]
                                html.open("tr", ["data-backfill": String(backfill.id)])
                                html.element("td") { $0.text(Int(backfill.id)) }
                                html.element("td") { html in
                                    html.element("a", ["href": PagePath.grid(backfill.dagId)], text: backfill.dagId)
                                }
                                html.element("td", text: TimeText.short(backfill.fromDate) + " → " + TimeText.short(backfill.toDate))
                                html.element("td") { html in
                                    if let done {
                                        let total = max(done.intervals - done.skipped, 1)
                                        html.element("progress", ["max": String(total), "value": String(done.succeeded + done.failed)]) {
                                            _ in
                                        }
                                        html.text(
                                            " \(done.succeeded) ✓ · \(done.failed) ✗ · \(done.running) ▶ · \(done.queued) … of \(done.intervals - done.skipped)"
                                        )
                                    }
                                }
                                html.element("td") { html in
                                    if backfill.completedAt != nil {
                                        html.text("completed")
                                    } else {
                                        html.text(backfill.isPaused ? "paused" : "active")
                                    }
                                }
                                html.element("td") { html in
                                    if canAct, backfill.completedAt == nil {
                                        html.element(
                                            "button",
                                            [
                                                "type": "button", "class": "danger",
                                                "data-api": "PUT /api/v2/backfills/\(backfill.id)/cancel",
                                                "data-confirm": "Cancel backfill \(backfill.id) of \(backfill.dagId)?",
                                            ], text: "Cancel")
                                    }
                                }
                                html.close("tr")
                            }
                            html.raw("</tbody>")
                        }
                    }
                    notifications(&html, messages)
                    html.element("h2", ["id": "variables"], text: "Variables")
                    if variables.isEmpty {
                        html.element("p", ["class": "muted"], text: "No variables.")
                    } else {
                        html.element("table", ["class": "list variables"]) { html in
                            html.raw("<thead><tr><th>Key</th><th>Value</th><th>Description</th></tr></thead><tbody>")
                            for variable in variables {
                                html.open("tr")
                                html.element("td", ["class": "mono"], text: variable.key)
                                html.element(
                                    "td", ["class": "mono"],
                                    text: String(SensitiveNames.masked(variable.value, key: variable.key).prefix(200)))
                                html.element("td", ["class": "muted"], text: variable.description ?? "")
                                html.close("tr")
                            }
                            html.raw("</tbody>")
                        }
                    }
                    html.element("h2", ["id": "connections"], text: "Connections")
                    if connections.isEmpty {
                        html.element("p", ["class": "muted"], text: "No connections.")
                    } else {
                        html.element("table", ["class": "list connections"]) { html in
                            html.raw(
                                "<thead><tr><th>Id</th><th>Type</th><th>Host</th><th>Login</th><th>Password</th><th>Extra</th></tr></thead><tbody>"
                            )
                            for connection in connections {
                                html.open("tr")
                                html.element("td", ["class": "mono"], text: connection.connectionId)
                                html.element("td", text: connection.connType)
                                html.element(
                                    "td", ["class": "mono"], text: (connection.host ?? "") + (connection.port.map { ":\($0)" } ?? ""))
                                html.element("td", text: connection.login ?? "")
                                html.element("td", text: connection.password == nil ? "" : SensitiveNames.mask)
                                html.element("td", ["class": "mono"], text: connection.extra.map(SensitiveNames.maskedExtra) ?? "")
                                html.close("tr")
                            }
                            html.raw("</tbody>")
                        }
                    }
                    html.element("h2", ["id": "audit"], text: "Audit log")
                    html.element("table", ["class": "list audit"]) { html in
                        html.raw(
                            "<thead><tr><th>When</th><th>Event</th><th>Owner</th><th>DAG</th><th>Run</th><th>Task</th><th>Extra</th></tr></thead><tbody>"
                        )
                        for record in audit.records {
                            html.open("tr")
                            html.element("td") { html in TimeText.render(&html, record.when) }
                            html.element("td", ["class": "mono"], text: record.event)
                            html.element("td", text: record.owner ?? "")
                            html.element("td") { html in
                                if let dagId = record.dagId { html.element("a", ["href": PagePath.grid(dagId)], text: dagId) }
                            }
                            html.element("td") { html in
                                if let dagId = record.dagId, let runId = record.runId {
                                    html.element("a", ["href": PagePath.run(dagId, runId)], text: runId)
                                }
                            }
                            html.element("td", ["class": "mono"], text: record.taskId ?? "")
                            html.element("td", ["class": "mono muted"], text: String((record.extra ?? "").prefix(200)))
                            html.close("tr")
                        }
                        html.raw("</tbody>")
                    }
                    html.element("div", ["class": "toolbar"]) { html in
                        html.element("span", ["class": "muted"], text: "\(audit.total) entries")
                        if auditOffset > 0 {
                            html.element(
                                "a", ["class": "button", "href": "/operations?audit_offset=\(max(0, auditOffset - auditRows))#audit"],
                                text: "Newer")
                        }
                        if auditOffset + auditRows < audit.total {
                            html.element(
                                "a", ["class": "button", "href": "/operations?audit_offset=\(auditOffset + auditRows)#audit"], text: "Older"
                            )
                        }
                    }
                }
            }
        ]
    }

    /// The outbox's newest messages: when, channel, event, the run they are about, status and
    /// attempts, and the last error (channels' errors never hold a URL or token).
    static func notifications(_ html: inout HTML, _ messages: [NotificationRecord]) {
        html.element("h2", ["id": "notifications"], text: "Notifications")
        guard !messages.isEmpty else {
            html.element(
                "p", ["class": "muted"], text: "No notifications. Rules go in notifications.rules of updraft.yaml (see the README).")
            return
        }
        html.element("table", ["class": "list notifications"]) { html in
            html.raw(
                "<thead><tr><th>Created</th><th>Channel</th><th>Event</th><th>Title</th><th>Run</th><th>Status</th><th class=\"num\">Attempts</th><th>Last error</th></tr></thead><tbody>"
            )
            for record in messages {
                html.open("tr", ["data-notification": String(record.id), "data-status": record.status.rawValue])
                html.element("td") { html in TimeText.render(&html, record.draft.createdAt) }
                html.element("td", ["class": "mono"], text: record.draft.channel)
                html.element("td", ["class": "mono"], text: record.draft.event)
                html.element("td", text: String(record.draft.title.prefix(200)))
                html.element("td") { html in
                    if let dagId = record.draft.dagId, let runId = record.draft.runId {
                        html.element("a", ["href": PagePath.run(dagId, runId)], text: "\(dagId) \(runId)")
                    } else if let dagId = record.draft.dagId {
                        html.element("a", ["href": PagePath.grid(dagId)], text: dagId)
                    }
                }
                html.element("td") { html in
                    if record.status == .pending, record.attempts > 0 {
                        html.text("retry at ")
                        TimeText.render(&html, record.nextAttemptAt)
                    } else {
                        html.text(record.status.rawValue)
                    }
                }
                html.element("td", ["class": "num"]) { $0.text(record.attempts) }
                html.element("td", ["class": "mono muted"], text: String((record.lastError ?? "").prefix(300)))
                html.close("tr")
            }
            html.raw("</tbody>")
        }
    }
}
