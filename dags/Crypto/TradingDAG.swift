import Foundation
import MarketData
import MarketPipeline
import UpdraftRuntime

/// `trading` (scheduled on the asset `predictions`): trades each pair of `trading.symbols` (every
/// tracked pair when empty) with the strategy of `trading.*` over the bars closed since its last
/// run, in `trading.mode`: `paper` (simulated fills at the next open, as the backtest),
/// `sandbox` or `live` (signed market orders to `trading.endpoint`). Live mode refuses to start
/// without `trading.live_confirm: true` and keys, and warns at every start. Orders, fills,
/// positions and equity per bar go to the ledger in `market.db` (`trading_*`).
///
/// ```sql
/// SELECT symbol, time, side, quantity, price, fee FROM trading_fills WHERE mode = 'paper' ORDER BY time;
/// ```
enum TradingDAG {
    static let dag = DAG(
        "trading", assets: .asset(MarketAssets.predictions), startDate: .utc(2024, 1, 1), maxActiveRuns: 1, tags: ["crypto"],
        description: "Trade the predictions: paper, sandbox or live, with a ledger in the warehouse."
    ) { d in
        d.task("trade") { ctx in
            let configuration = try ctx.configuration
            let settings: TradingSettings
            do { settings = try TradingSettings(configuration) } catch { throw TaskFailure("\(error)") }
            if let warning = settings.liveWarning { ctx.log.warning(warning) }
            let stores = try ctx.stores
            let pairs = settings.symbols.isEmpty ? try PipelineQueries.trackedPairs(in: stores.warehouse) : settings.symbols
            let exchange = settings.signer.map { BinanceTradingClient(baseURL: settings.endpoint, signer: $0) }
            let session = TradingSession(
                settings: settings, stores: stores, exchange: exchange, horizonMinutes: configuration[.modelsHorizonMinutes])
            let now = max(ctx.logicalDate, ctx.dataInterval.end, Date())
            ctx.log.info("trading \(pairs.count) pairs in \(settings.mode.rawValue) mode")
            for pair in pairs {
                let outcome = try await session.run(symbol: pair, now: now)
                for fill in outcome.fills {
                    ctx.log.info(
                        "\(pair): \(fill.side.rawValue) \(fill.quantity) at \(fill.price), fee \(fill.fee) (\(fill.reason.rawValue))")
                }
                for order in outcome.refused {
                    ctx.log.warning("\(pair): order \(order.clientOrderId) \(order.status): \(order.message ?? "")")
                }
                ctx.log.info("\(pair): \(outcome.bars) bars, equity \(outcome.equity.map { String(format: "%.2f", $0) } ?? "-")")
            }
        }
    }
}
