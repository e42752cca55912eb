import Foundation
import MarketData
import MarketPipeline
import UpdraftRuntime

/// `incremental` (every 15 minutes by default): for each tracked symbol, plans the Binance REST
/// requests from its `last_updated_at` to the end of the run's data interval (1,000 candles a
/// request), fetches them within the host's weight budget, writes the candles and moves
/// `last_updated_at`. Each other exchange of `universe.exchanges` gets a `fetch_exchange.<name>`
/// task that brings the same pairs up to date there, within its own limits (`ExchangeCatchUp`).
/// Candles are keyed by exchange, symbol and open time, so re-running an interval changes nothing.
/// When every symbol is fetched, `publish` updates the asset `tickerdata_1m`, on which
/// `indicators` is scheduled.
enum Incremental {
    static func dag(schedule: String) -> DAG {
        DAG(
            "incremental", schedule: schedule, startDate: .utc(2024, 1, 1), catchup: false, maxActiveRuns: 1,
            maxActiveTasks: 8, defaults: CryptoDefaults.networkTask, tags: ["crypto"],
            description: "Fetch new 1m klines for every tracked symbol from each configured exchange, then resample data.intervals."
        ) { d in
            let plan = d.task("plan_requests") { ctx in
                guard try MarketClients.exchanges(ctx.configuration).contains(.binance) else {
                    ctx.log.info("binance is not in universe.exchanges: no Binance requests")
                    return [KlineRequestPlan]()
                }
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
            let others = d.task("plan_exchanges") { ctx in
                let exchanges = try MarketClients.exchanges(ctx.configuration).filter { $0 != .binance }
                ctx.log.info(
                    "other exchanges configured: \(exchanges.isEmpty ? "none" : exchanges.map(\.rawValue).joined(separator: ", "))")
                return exchanges.map(\.rawValue)
            }
            let fetchOthers = d.factory("fetch_exchange", from: others) { names, g in
                for name in names {
                    g.task(name) { ctx in try await Incremental.fetch(exchange: name, ctx: ctx) }
                }
            }
            let resample = d.task("resample") { ctx in try Incremental.resample(ctx: ctx) }
            let publish = d.task("publish", options: TaskOptions().updating(MarketAssets.tickerdata1m)) { ctx in
                ctx.log.info("every symbol is up to date; tickerdata_1m is updated")
            }
            fetch >> resample
            fetchOthers >> resample
            resample >> publish
        }
    }

    /// Brings every tracked pair up to date on one exchange other than Binance, within that
    /// exchange's paging and rate limits (`ExchangeCatchUp`).
    static func fetch(exchange name: String, ctx: TaskContext) async throws {
        let exchange = try ExchangeID(configured: name)
        let pairs = try PipelineQueries.trackedCanonicalPairs(in: ctx.stores.warehouse)
        let end = max(ctx.dataInterval.end, ctx.logicalDate)
        let outcome = try await ExchangeCatchUp.run(
            client: ctx.clients.exchange(exchange), warehouse: ctx.stores.warehouse, pairs: pairs, end: end)
        ctx.metrics.increment(
            MarketMetrics.rowsIngested, labels: ["table": KlineInterval.oneMinute.tableName], by: outcome.written)
        ctx.log.info(
            "\(exchange.displayName): \(outcome.written) candles written for \(outcome.fetched.count) pair(s)"
                + (outcome.unlisted.isEmpty ? "" : "; not listed there: \(outcome.unlisted.joined(separator: ", "))"))
    }

    /// Brings the `data.intervals` tables of every tracked pair on every configured exchange up to
    /// date from its 1-minute candles (`KlineWarehouse.resample`: from the last complete bucket,
    /// the newest one marked partial until complete).
    static func resample(ctx: TaskContext) throws {
        let configuration = try ctx.configuration
        let intervals = MarketClients.resampledIntervals(configuration)
        guard !intervals.isEmpty else {
            ctx.log.info("data.intervals asks for 1m only: nothing to resample")
            return
        }
        let warehouse = try ctx.stores.warehouse
        let pairs = try PipelineQueries.trackedCanonicalPairs(in: warehouse)
        var written = 0
        for exchange in try MarketClients.exchanges(configuration) {
            for pair in pairs {
                let outcome = try warehouse.resample(exchange: exchange, symbol: pair.binanceSymbol, intervals: intervals)
                written += outcome.written.values.reduce(0, +)
            }
        }
        ctx.log.info(
            "resampled \(pairs.count) pair(s) into \(intervals.map(\.rawValue).joined(separator: ", ")): \(written) bucket(s) written")
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
