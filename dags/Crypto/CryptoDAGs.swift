import MarketPipeline
import UpdraftConfig
import UpdraftRuntime

/// The crypto market-data pipeline, chained by assets (`MarketAssets`): each DAG updates one and
/// the next is scheduled on it.
///
/// ```
/// get_symbols (cron) → symbols → historical ─┐
///                     incremental (cron) ─────┴→ tickerdata_1m → indicators → indicators_1m ─┬→ training → models ─┐
///                                                                                           └──────────────────────┴→ scoring → predictions
/// indicators_1m or predictions → alerts;  predictions → trading
/// ```
/// `get_symbols` and `incremental` run on schedules from the configuration; the others run when
/// the assets they are scheduled on are updated, each run consuming every event queued since. Tasks get their clients, stores and configuration from the
/// context (`ctx.resource(MarketStores.self)`), which `MarketResources` provides.
enum CryptoDAGs {
    static func all(_ configuration: UpdraftConfiguration) -> [DAG] {
        [
            GetSymbols.dag(schedule: configuration[.getSymbolsSchedule]),
            Historical.dag,
            Incremental.dag(schedule: configuration[.incrementalSchedule]),
            IndicatorsDAG.dag,
            Training.dag,
            Scoring.dag,
            AlertsDAG.dag,
            TradingDAG.dag,
        ].map { $0.onQueue(Self.warehouseQueue) }
    }

    /// Every task of the pipeline reads or writes `market.db`, so all of them run on this queue,
    /// which only the host that holds the warehouse serves (a scheduler serves it by default).
    static let warehouseQueue = "warehouse"
}

extension TaskContext {
    /// The process's market storage (one `market.db` pool).
    var stores: MarketStores { get throws { try resource(MarketStores.self) } }
    /// The process's API clients (one HTTP client, shared rate limits).
    var clients: MarketClients { get throws { try resource(MarketClients.self) } }
    /// The configuration the process was given (the CLI's, passed to every worker).
    var configuration: UpdraftConfiguration { get throws { try resource(UpdraftConfiguration.self) } }
}
