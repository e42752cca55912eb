import Foundation
import HTTPTypes
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftStore

/// `/api/market/v1/universe`: the pairs the pipeline fetches and the controls of `updraft symbols`
/// (add, remove, track, untrack, auto), kept in the warehouse. Pairs in paths are `BASE-QUOTE`
/// (`ADA-BTC`); reading takes a viewer, changing an op.
enum UniverseRoutes {
    static let base = MarketRoutes.prefix + "/universe"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "market_get_universe", tag: MarketRoutes.tag,
                summary: "List the universe's pairs and whether each is tracked", role: .viewer, query: QueryParameter.paging,
                responses: [.ok("MarketUniverseCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                let page = request.page
                let entries = try await BlockingRead.run { try stores.warehouse.universe() }
                return .json { json in
                    json.object { o in
                        o.field("pairs") { json in
                            json.array(entries.dropFirst(page.offset).prefix(page.limit)) { json, entry in
                                json.object { o in write(entry, to: &o) }
                            }
                        }
                        o.field("total_entries", entries.count)
                    }
                }
            },
            Endpoint(
                .post, base, id: "market_post_universe", tag: MarketRoutes.tag, summary: "Add a pair by hand (tracked until removed)",
                role: .op, body: "MarketUniversePairBody",
                responses: [
                    .created("MarketUniverseEntryResponse"), .init(400, "Bad Request", schema: "HTTPExceptionResponse"),
                    .init(409, "Conflict", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                var body = try request.bodyReader()
                let text = body.string("pair", required: true, nullable: false)
                try body.finish()
                let pair = try parse(text ?? "", field: "pair")
                let stores = try request.marketStores()
                guard let entry = try await change({ try stores.warehouse.addPair(pair, at: Date()) }) else {
                    throw APIError.notFound("\(pair): not in the universe")
                }
                return .json(.created) { json in json.object { o in write(entry, to: &o) } }
            },
            Endpoint(
                .delete, base + "/{pair}", id: "market_delete_universe_pair", tag: MarketRoutes.tag,
                summary: "Remove a pair added by hand (its candles stay)", role: .op,
                responses: [
                    .noContent, .init(400, "Bad Request", schema: "HTTPExceptionResponse"),
                    .init(404, "Not Found", schema: "HTTPExceptionResponse"), .init(409, "Conflict", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                let pair = try parse(request.path("pair").replacingOccurrences(of: "-", with: "/"), field: "pair")
                let stores = try request.marketStores()
                _ = try await change {
                    try stores.warehouse.removePair(pair)
                    return nil
                }
                return .noContent
            },
            Endpoint(
                .put, base + "/{pair}/tracking", id: "market_put_universe_tracking", tag: MarketRoutes.tag,
                summary: "Track or untrack a pair by hand, or give it back to the top-N rule (auto)", role: .op,
                body: "MarketUniverseTrackingBody",
                responses: [
                    .ok("MarketUniverseEntryResponse"), .init(400, "Bad Request", schema: "HTTPExceptionResponse"),
                    .init(404, "Not Found", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                let pair = try parse(request.path("pair").replacingOccurrences(of: "-", with: "/"), field: "pair")
                var body = try request.bodyReader()
                let tracking = body.string("tracking", required: true, nullable: false)
                try body.finish()
                let choice: UniverseEntry.Manual?
                switch tracking {
                case "track": choice = .track
                case "untrack": choice = .untrack
                case "auto": choice = nil
                default: throw APIError.badRequest("tracking must be track, untrack or auto, got \(tracking ?? "nothing")")
                }
                let stores = try request.marketStores()
                guard let entry = try await change({ try stores.warehouse.setManual(choice, for: pair, at: Date()) }) else {
                    throw APIError.notFound("\(pair): not in the universe")
                }
                return .json { json in json.object { o in write(entry, to: &o) } }
            },
        ]
    }

    static func parse(_ text: String, field: String) throws -> CanonicalPair {
        do { return try CanonicalPair(parsing: text.uppercased()) } catch { throw APIError.badRequest("\(field): \(error)") }
    }

    /// Runs a warehouse change off the cooperative pool, its refusals as 404 or 409.
    static func change(_ body: @escaping @Sendable () throws -> UniverseEntry?) async throws -> UniverseEntry? {
        do { return try await BlockingRead.run(body) } catch let refusal as UniverseError {
            switch refusal.kind {
            case .notInUniverse: throw APIError.notFound(refusal.description)
            case .conflict: throw APIError.conflict(refusal.description)
            }
        }
    }

    static func write(_ entry: UniverseEntry, to o: inout ObjectWriter) {
        o.field("pair", entry.pair.description)
        o.field("id", entry.id)
        o.field("name", entry.name)
        o.field("rank", entry.rank)
        o.field("tracked", entry.isTracked)
        o.field("reason", entry.reason)
        o.field("origin", entry.origin.rawValue)
        o.field("in_top", entry.inTop)
        o.field("untracked_at", entry.untrackedAt.map { UTCCalendar.iso8601(microseconds: Int64($0.timeIntervalSince1970 * 1_000_000)) })
        o.field("manual", entry.manual?.rawValue)
    }
}
