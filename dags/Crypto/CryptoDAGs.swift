import UpdraftRuntime

/// The crypto market-data pipeline, in the order a run flows through it:
/// `get_symbols` → `historical` → `incremental` → `indicators` → `training` → `scoring`.
/// `get_symbols` and `incremental` run on schedules from the configuration; each DAG triggers
/// the next when it completes.
enum CryptoDAGs {
    static var all: [DAG] {
        let configuration = CryptoServices.registryConfiguration()
        return [
            GetSymbols.dag(schedule: configuration.string("schedules.get_symbols")),
            Historical.dag,
            Incremental.dag(schedule: configuration.string("schedules.incremental")),
            IndicatorsDAG.dag,
            Training.dag,
            Scoring.dag,
        ]
    }
}
