import Foundation
import MarketData
import MarketPipeline
import UpdraftRuntime

/// `incremental` (every 15 minutes by default): for each tracked symbol, plans the Binance REST
/// requests from its `last_updated_at` to the end of the run's data interval (1,000 candles a
/// request), fetches them within the host's weight budget, writes the candles and moves
/// `last_updated_at`. Candles are keyed by symbol and open time, so re-running an interval
/// changes nothing. When every symbol is fetched, `publish` updates the asset `tickerdata_1m`,
/// on which `indicators` is scheduled.
enum Incremental {
    static func dag(schedule: String) -> DAG {
        DAG(
            "incremental", schedule: schedule, startDate: .utc(2024, 1, 1), catchup: false, maxActiveRuns: 1,
            maxActiveTasks: 8, defaults: CryptoDefaults.networkTask, tags: ["crypto"],
            description: "Fetch new 1m klines from the Binance REST API for every tracked symbol."
        ) { d in
            let plan = d.task("plan_requests") { ctx in
                let tracked = try PipelineQueries.trackedSymbols(in: ctx.stores.warehouse)
                let end = max(ctx.dataInterval.end, ctx.logicalDate)
                let plans = tracked.map { KlineRequestPlan(symbol: $0.pair, lastUpdated: $0.lastUpdated, now: end) }
                    .filter { !$0.windows.isEmpty }
                let budget = try ctx.configuration[.binanceWeightPerMinute] * 9 / 10
                let batches = KlineRequestPlan.batches(plans, weightBudget: budget)
                ctx.log.info(
                    "\(plans.count) symbols need \(plans.map(\.windows.count).reduce(0, +)) requests "
                        + "(weight \(plans.map(\.weight).reduce(0, +))) in \(batches.count) batch(es) of ≤ \(budget) weight")
                return plans
            }
            let fetch = d.factory("fetch", from: plan) { plans, g in
                for plan in plans {
                    g.task(plan.symbol) { ctx in try await Incremental.fetch(plan, ctx: ctx) }
                }
            }
            let publish = d.task("publish", options: TaskOptions().updating(MarketAssets.tickerdata1m)) { ctx in
                ctx.log.info("every symbol is up to date; tickerdata_1m is updated")
            }
            fetch >> publish
        }
    }

    /// Runs one symbol's plan (`KlineRequestPlan.fetch`: page by page, resumable).
    static func fetch(_ plan: KlineRequestPlan, ctx: TaskContext) async throws {
        let warehouse = try ctx.stores.warehouse
        guard let coin = try warehouse.symbol(binancePair: plan.symbol) else {
            try ctx.skip("\(plan.symbol) is no longer in the symbol table")
        }
        let forwardFill = try ctx.configuration[.dataForwardFill]
        let result = try await plan.fetch(
            from: ctx.clients.binance, into: warehouse, symbolID: coin.id,
            forwardFill: forwardFill)
        ctx.metrics.increment(
            MarketMetrics.rowsIngested, labels: ["table": KlineInterval.oneMinute.tableName], by: result.written)
        ctx.log.info(
            "\(plan.symbol): \(result.written) candles written in \(plan.windows.count) request(s)"
                + (forwardFill ? ", \(result.filled) missing minutes forward-filled" : ""))
    }
}
