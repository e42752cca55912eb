import Foundation
import MarketData
import MarketPipeline
import UpdraftRuntime

/// `historical` (scheduled on the asset `symbols`): backfills 1-minute klines from Binance's public archive for every tracked
/// symbol that has no candles within the last month. One sub-DAG per symbol lists the archive's
/// monthly and daily files, then loads each file in its own task (download, verify the CHECKSUM,
/// load in one transaction; retried on its own), then sets the symbol's `last_updated_at`.
/// A symbol whose files fail does not stop the others, but fails the run; when every symbol
/// loaded, `publish` updates the asset `tickerdata_1m`, on which `indicators` is scheduled.
///
/// Drill down: `updraft runs show RUN --group historical.BTCUSDT` (task ids like
/// `historical.BTCUSDT.files.load_2024_01`).
enum Historical {
    static let dag = DAG(
        "historical", assets: .asset(MarketAssets.symbols), startDate: .utc(2024, 1, 1),
        maxActiveRuns: 1, maxActiveTasks: 8,
        defaults: CryptoDefaults.networkTask, tags: ["crypto"],
        description:
            "Backfill 1m klines by month: Binance from its archive (one sub-DAG per symbol), other exchanges from their REST history.",
        params: HistoricalParams.dagParams
    ) { d in
        let find = d.task("find_symbols") { ctx in
            let params = try HistoricalParams(ctx)
            guard params.exchanges.contains(.binance) else {
                ctx.log.info("binance is not among the exchanges asked for: no archive backfill")
                return [String]()
            }
            if let symbols = params.symbols {
                ctx.log.info(
                    "backfilling the symbols asked for: \(symbols.joined(separator: ", "))"
                        + (params.months.map { " (months \($0.joined(separator: ", ")))" } ?? ""))
                return symbols
            }
            let since = Calendar.utc.date(byAdding: .month, value: -1, to: ctx.logicalDate)!
            let symbols = try PipelineQueries.symbolsToBackfill(in: ctx.stores.warehouse, since: since)
            ctx.log.info("\(symbols.count) symbols need a backfill: \(symbols.joined(separator: ", "))")
            return symbols
        }
        let perSymbol = d.factory("historical", from: find) { symbols, g in
            for symbol in symbols {
                g.group(symbol) { s in
                    let list = s.task("list_files") { ctx in try await ArchiveSteps.listFiles(symbol: symbol, ctx: ctx) }
                    let load = s.factory("files", from: list) { files, f in
                        for file in files {
                            let name = try KlineFileName(parsing: file)
                            f.task("load_\(name.period.description.replacingOccurrences(of: "-", with: "_"))") { ctx in
                                try await ArchiveSteps.loadFile(name, ctx: ctx)
                            }
                        }
                    }
                    let mark = s.task("mark_updated") { ctx in
                        let warehouse = try ctx.stores.warehouse
                        let end = ctx.dataInterval.end
                        let window = try HistoricalParams(ctx).windowStart(end: end)
                        let states = try warehouse.refreshPartitions(
                            symbol: symbol, months: PartitionState.months(from: window.micros, to: end.micros - 1), now: end)
                        ctx.log.info(
                            "\(symbol) partitions: "
                                + PartitionState.State.allCases.map { state in
                                    "\(states.filter { $0.state == state }.count) \(state.rawValue)"
                                }
                                .joined(separator: ", "))
                        let last = try PipelineQueries.lastCandleOpenTime(of: symbol, in: warehouse)
                        guard let last, let coin = try warehouse.symbol(binancePair: symbol) else {
                            try ctx.skip("\(symbol): the archive has no candles in the window")
                        }
                        let updated = Date(micros: last + 60_000_000)
                        try warehouse.setLastUpdated(updated, forSymbol: coin.id)
                        let intervals = MarketClients.resampledIntervals(try ctx.configuration)
                        if !intervals.isEmpty {
                            // The whole history was (re)loaded: every bucket is rebuilt.
                            try warehouse.resample(symbol: symbol, intervals: intervals, from: 0)
                        }
                        ctx.log.info("\(symbol) is complete up to \(updated)")
                    }
                    list >> load
                    load >> mark
                }
            }
        }
        let others = d.task("find_exchanges") { ctx in
            try HistoricalParams(ctx).exchanges.filter { $0 != .binance }.map(\.rawValue)
        }
        let perExchange = d.factory("exchange_history", from: others) { names, g in
            for name in names {
                g.task(name) { ctx in try await Historical.exchangeHistory(name, ctx: ctx) }
            }
        }
        let publish = d.task("publish", options: TaskOptions().updating(MarketAssets.tickerdata1m)) { ctx in
            ctx.log.info("the archive backfill is complete; tickerdata_1m is updated")
        }
        perSymbol >> publish
        perExchange >> publish
    }
}

extension Historical {
    /// One exchange other than Binance: the asked-for (else tracked) pairs, month by month from its
    /// REST history (`ExchangeHistory`).
    static func exchangeHistory(_ name: String, ctx: TaskContext) async throws {
        let params = try HistoricalParams(ctx)
        let exchange = try ExchangeID(configured: name)
        let warehouse = try ctx.stores.warehouse
        let symbols = try params.symbols ?? PipelineQueries.trackedCanonicalPairs(in: warehouse).map(\.binanceSymbol)
        let end = ctx.dataInterval.end
        let outcome = try await ExchangeHistory.run(
            client: ctx.clients.exchange(exchange), warehouse: warehouse, symbols: symbols, months: params.monthsToLoad(end: end), now: end)
        let intervals = MarketClients.resampledIntervals(try ctx.configuration)
        if !intervals.isEmpty {
            for symbol in symbols { try warehouse.resample(exchange: exchange, symbol: symbol, intervals: intervals, from: 0) }
        }
        ctx.log.info(
            "\(exchange.displayName): \(outcome.written) candles for \(symbols.count - outcome.unlisted.count) pair(s)"
                + (outcome.unlisted.isEmpty ? "" : "; not listed there: \(outcome.unlisted.joined(separator: ", "))"))
    }
}
