import HTTPTypes
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftConfig
import UpdraftCore
import UpdraftStore

/// `/api/market/v1/alerts`, `/trades` and `/pnl`: the market alerts that fired, the trading
/// ledger's orders with their fills, and its profit and loss against buy and hold. The ledger is
/// the one of `mode` (default: the server's `trading.mode`, else `paper`).
enum TradingRoutes {
    static let modeParameter = QueryParameter(
        "mode", .choice(TradingMode.allCases.map(\.rawValue)), "The ledger: paper, sandbox or live (default: trading.mode).")
    static let symbolParameter = QueryParameter("symbol", .string, "Only this pair, e.g. BTCUSDT.")

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, MarketRoutes.prefix + "/alerts", id: "market_get_alerts", tag: MarketRoutes.tag,
                summary: "List the market alerts that fired, newest candle first", role: .viewer,
                query: QueryParameter.paging + [symbolParameter] + TimeBounds.parameters,
                responses: [.ok("MarketAlertCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                let symbol = request.string("symbol")?.uppercased()
                let bounds = try TimeBounds.parse(request)
                let page = request.page
                return try await BlockingRead.run {
                    let all = try stores.alerts.firings(symbol: symbol, since: bounds.from, limit: Int.max)
                        .filter { firing in bounds.to.map { firing.openTime < $0 } ?? true }
                    let firings = Array(all.dropFirst(page.offset).prefix(page.limit))
                    return .json(capacity: 400 * firings.count + 64) { json in
                        json.object { o in
                            o.field("alerts") { json in
                                json.array(firings) { json, f in
                                    json.object { o in
                                        o.field("rule", f.rule)
                                        o.field("symbol", f.symbol)
                                        o.field("open_time", UTCCalendar.iso8601(microseconds: f.openTime))
                                        o.field("condition", f.condition)
                                        o.field("value", f.value)
                                        o.field("close", f.close)
                                        o.field("message", f.message)
                                        o.field("run_id", f.runId)
                                        o.field("fired_at", UTCCalendar.iso8601(microseconds: f.firedAt))
                                    }
                                }
                            }
                            o.field("total_entries", all.count)
                        }
                    }
                }
            },
            Endpoint(
                .get, MarketRoutes.prefix + "/trades", id: "market_get_trades", tag: MarketRoutes.tag,
                summary: "List the trading ledger's orders with their fills, newest first", role: .viewer,
                query: QueryParameter.paging + [modeParameter, symbolParameter],
                responses: [.ok("MarketTradeCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                let mode = mode(request)
                let symbol = request.string("symbol")?.uppercased()
                let page = request.page
                return try await BlockingRead.run {
                    let orders = try stores.ledger.orders(mode: mode, symbol: symbol, limit: Int.max)
                    let fills = Dictionary(
                        try stores.ledger.fills(mode: mode, symbol: symbol).map { ($0.clientOrderId, $0) }, uniquingKeysWith: { $1 })
                    let shown = Array(orders.dropFirst(page.offset).prefix(page.limit))
                    return .json(capacity: 400 * shown.count + 64) { json in
                        json.object { o in
                            o.field("mode", mode.rawValue)
                            o.field("trades") { json in
                                json.array(shown) { json, order in writeTrade(order, fills[order.clientOrderId], to: &json) }
                            }
                            o.field("total_entries", orders.count)
                        }
                    }
                }
            },
            Endpoint(
                .get, MarketRoutes.prefix + "/pnl", id: "market_get_pnl", tag: MarketRoutes.tag,
                summary: "Get the trading ledger's profit and loss per symbol and in total, against buy and hold", role: .viewer,
                query: [modeParameter, symbolParameter],
                responses: [.ok("MarketPnLResponse")]
            ) { request in
                let stores = try request.marketStores()
                let mode = mode(request)
                let symbol = request.string("symbol")?.uppercased()
                return try await BlockingRead.run {
                    let report = try TradingReport.ledger(mode: mode, symbol: symbol, stores: stores)
                    return .json(capacity: 512 * (report.symbols.count + 1) + 64) { json in
                        json.object { o in
                            o.field("mode", report.mode)
                            o.field("symbols") { json in json.array(report.symbols) { json, line in writeLine(line, to: &json) } }
                            o.field("total") { json in
                                if let total = report.total { writeLine(total, to: &json) } else { json.value(.null) }
                            }
                        }
                    }
                }
            },
        ]
    }

    /// The `mode` asked for, else the server's `trading.mode`, else paper.
    static func mode(_ request: APIRequest) -> TradingMode {
        if let text = request.string("mode"), let mode = TradingMode(rawValue: text) { return mode }
        // No configuration among the server's resources (a test server): the paper ledger.
        guard let configuration = try? request.context.resources.resolve(UpdraftConfiguration.self) else { return .paper }
        return TradingMode(rawValue: configuration[.tradingMode]) ?? .paper
    }

    static func writeTrade(_ order: TradingLedger.Order, _ fill: TradingLedger.Fill?, to json: inout JSONWriter) {
        json.object { o in
            o.field("symbol", order.symbol)
            o.field("client_order_id", order.clientOrderId)
            o.field("decided_at", UTCCalendar.iso8601(microseconds: order.decidedAt))
            o.field("side", order.side.rawValue)
            o.field("reason", order.reason.rawValue)
            o.field("status", order.status)
            o.field("exchange_order_id", order.exchangeOrderId.map { Int($0) })
            o.field("message", order.message)
            o.field("fill") { json in
                guard let fill else { json.value(.null); return }
                json.object { o in
                    o.field("time", UTCCalendar.iso8601(microseconds: fill.time))
                    o.field("quantity", fill.quantity)
                    o.field("price", fill.price)
                    o.field("fee", fill.fee)
                }
            }
        }
    }

    static func writeLine(_ line: TradingReport.Line, to json: inout JSONWriter) {
        json.object { o in
            o.field("symbol", line.symbol)
            o.field("bars", line.bars)
            o.field("from", line.from.map { UTCCalendar.iso8601(microseconds: $0) })
            o.field("to", line.to.map { UTCCalendar.iso8601(microseconds: $0) })
            o.field("starting_cash", line.startingCash)
            o.field("equity", line.equity)
            o.field("total_return", line.totalReturn)
            o.field("sharpe", line.sharpe)
            o.field("max_drawdown", line.maxDrawdown)
            o.field("fees_paid", line.feesPaid)
            o.field("fills", line.fills)
            o.field("buy_and_hold_return", line.buyAndHoldReturn)
            o.field("position", line.position)
        }
    }
}
