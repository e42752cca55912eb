import HTTPTypes
import Indicators
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftStore

/// `/api/market/v1/symbols` (the warehouse's pairs) and `/symbols/{symbol}/gaps` (missing minutes).
enum SymbolRoutes {
    static let base = MarketRoutes.prefix + "/symbols"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "market_get_symbols", tag: MarketRoutes.tag,
                summary: "List the warehouse's symbols with rank, tracking state and 1-minute candles", role: .viewer,
                query: QueryParameter.paging, responses: [.ok("MarketSymbolCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                let page = request.page
                return try await BlockingRead.run {
                    let symbols = try SymbolOverview.all(in: stores.warehouse)
                    return .json(capacity: 256 * min(symbols.count, page.limit) + 64) { json in
                        json.object { o in
                            o.field("symbols") { json in
                                json.array(symbols.dropFirst(page.offset).prefix(page.limit)) { json, symbol in
                                    json.object { o in write(symbol, to: &o) }
                                }
                            }
                            o.field("total_entries", symbols.count)
                        }
                    }
                }
            },
            Endpoint(
                .get, base + "/{symbol}/gaps", id: "market_get_gaps", tag: MarketRoutes.tag,
                summary: "List the gaps in a symbol's 1-minute candles", role: .viewer,
                query: QueryParameter.paging + TimeBounds.parameters,
                responses: [.ok("MarketGapsResponse")]
            ) { request in
                let stores = try request.marketStores()
                let bounds = try TimeBounds.parse(request).alignedUp(to: BarInterval.oneMinute.microseconds)
                let page = request.page
                return try await BlockingRead.run {
                    let symbol = try request.knownSymbol(in: stores)
                    let gaps = try MarketReads.gaps(symbol, bounds: bounds, from: stores.warehouse)
                    return .json { json in
                        json.object { o in
                            o.field("symbol", symbol)
                            o.field("interval", "1m")
                            o.field("gaps") { json in
                                json.array(gaps.dropFirst(page.offset).prefix(page.limit)) { json, gap in
                                    json.object { o in
                                        o.field("start", UTCCalendar.iso8601(microseconds: gap.start))
                                        o.field("end", UTCCalendar.iso8601(microseconds: gap.end))
                                        o.field("missing", gap.missing)
                                    }
                                }
                            }
                            o.field("total_entries", gaps.count)
                            o.field("missing", gaps.reduce(0) { $0 + $1.missing })
                        }
                    }
                }
            },
        ]
    }

    static func write(_ symbol: SymbolOverview, to o: inout ObjectWriter) {
        o.field("symbol", symbol.symbol)
        o.field("coin_id", symbol.coinId)
        o.field("name", symbol.name)
        o.field("rank", symbol.rank)
        o.field("tracking", symbol.tracking.rawValue)
        o.field("last_updated_at", symbol.lastUpdatedAt.map { UTCCalendar.iso8601(microseconds: $0) })
        o.field("rows", symbol.rows)
        o.field("first_open_time", symbol.firstOpenTime.map { UTCCalendar.iso8601(microseconds: $0) })
        o.field("last_open_time", symbol.lastOpenTime.map { UTCCalendar.iso8601(microseconds: $0) })
    }
}
