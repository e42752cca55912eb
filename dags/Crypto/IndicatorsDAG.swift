import Foundation
import MarketPipeline
import UpdraftRuntime

/// `indicators` (scheduled on the asset `tickerdata_1m`): for each tracked symbol, extends the table
/// `indicators_1m` (SMA 20, EMA 20, RSI 14, MACD 12/26/9, Bollinger 20/2, ATR 14, OBV, VWAP,
/// stochastic 5/3/3, ADX 14, exactly as TA-Lib computes them) by the 1-minute candles that
/// closed since the last run (with the forward-filled minutes when `data.forward_fill` is on), and
/// `indicators_<interval>` for every other interval of `data.intervals` by the complete buckets
/// of `tickerdata_<interval>` (a partial bucket waits until it is complete), each resuming from
/// the state kept in `indicator_state`. A run computed in steps writes the same values as one
/// computed at once. When every symbol is computed, `publish` updates the asset `indicators_1m`
/// (for `training` and `scoring`).
///
/// ```sql
/// SELECT open_time, rsi14, macd_hist FROM indicators_5m WHERE symbol = 'BTCUSDT' ORDER BY open_time DESC LIMIT 5;
/// ```
enum IndicatorsDAG {
    static let dag = DAG(
        "indicators", assets: .asset(MarketAssets.tickerdata1m), startDate: .utc(2024, 1, 1),
        maxActiveRuns: 1, tags: ["crypto"],
        description: "Technical indicators on 1m candles and every interval of data.intervals, computed incrementally per symbol."
    ) { d in
        let pick = d.task("pick_symbols") { ctx in
            let pairs = try PipelineQueries.trackedPairs(in: ctx.stores.warehouse)
            ctx.log.info("\(pairs.count) symbols: \(pairs.joined(separator: ", "))")
            return pairs
        }
        let compute = d.factory("compute", from: pick) { pairs, g in
            for pair in pairs {
                g.task(pair) { ctx in
                    let stores = try ctx.stores, configuration = try ctx.configuration
                    let forwardFill = configuration[.dataForwardFill]
                    var outcomes: [String: IndicatorUpdate.Outcome] = [:]
                    for interval in IntervalParam.configured(configuration) {
                        let started = Date()
                        let outcome = try IndicatorUpdate.run(
                            symbol: pair, interval: interval, includingFilled: forwardFill, warehouse: stores.warehouse,
                            store: stores.indicators, now: max(ctx.logicalDate, ctx.dataInterval.end))
                        let seconds = max(Date().timeIntervalSince(started), 1e-6)
                        ctx.log.info(
                            "\(pair) \(interval.rawValue): \(outcome.written) candles computed (\(outcome.mode.rawValue)), "
                                + "\(outcome.bars) in total, \(Int(Double(outcome.written) / seconds)) rows/s")
                        outcomes[interval.rawValue] = outcome
                    }
                    return outcomes
                }
            }
        }
        let publish = d.task("publish", options: TaskOptions().updating(MarketAssets.indicators1m)) { ctx in
            ctx.log.info("indicators are computed for every symbol and interval; indicators_1m is updated")
        }
        compute >> publish
    }
}
