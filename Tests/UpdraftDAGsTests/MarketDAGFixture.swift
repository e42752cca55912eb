import ExchangeSandbox
import Foundation
import GRDB
import MarketData
import MarketPipeline
import UpdraftConfig
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

@testable import UpdraftDAGs

/// An in-memory `market.db` with crafted candles, indicators and predictions, and the crypto
/// DAGs over it in-process: for the `alerts` and `trading` DAGs' tests.
struct MarketDAGFixture: Sendable {
    let home: String
    let stores: MarketStores
    /// 2024-03-10 00:00 UTC, µs: minute `i` of the fixture opens at `t0 + i × 60 s`.
    static let t0 = UTCCalendar.microseconds(year: 2024, month: 3, day: 10)
    static let model = "fixture-model"

    init() throws {
        home = try PipelineHarness.makeHome()
        stores = try MarketStores(database: try MarketDatabase(), home: home)
    }

    static func time(_ minute: Int) -> Int64 { t0 + Int64(minute) * 60_000_000 }

    /// Candles at minutes `first…` with these closes (opens: the previous close, or `opens`).
    func addCandles(_ symbol: String, from first: Int, closes: [Double], opens: [Double]? = nil, volume: Double = 10) throws {
        func decimal(_ value: Double) throws -> FixedDecimal { try FixedDecimal(parsing: String(format: "%.8f", value)) }
        var klines: [Kline] = []
        for (offset, close) in closes.enumerated() {
            let open = opens?[offset] ?? (offset > 0 ? closes[offset - 1] : close)
            let time = Self.time(first + offset)
            klines.append(
                Kline(
                    openTime: time, open: try decimal(open), high: try decimal(max(open, close)), low: try decimal(min(open, close)),
                    close: try decimal(close), volume: try decimal(volume), closeTime: time + 59_999_999,
                    quoteVolume: try decimal(volume * close), trades: 1, takerBuyBaseVolume: try decimal(volume / 2),
                    takerBuyQuoteVolume: try decimal(volume * close / 2)))
        }
        _ = try stores.warehouse.insert(klines, symbol: symbol, interval: .oneMinute)
    }

    /// Computes the indicators of every candle stored.
    func computeIndicators(_ symbol: String) throws {
        _ = try IndicatorUpdate.run(symbol: symbol, warehouse: stores.warehouse, store: stores.indicators, now: Date())
    }

    /// Makes `symbol` a tracked pair.
    func track(_ symbol: String) throws {
        let id = symbol.lowercased()
        try stores.warehouse.upsertSymbols(
            [MarketSymbol(id: id, ticker: id, name: symbol, rank: 1, marketCap: 1e9, binancePair: symbol)], observedAt: Date())
        try stores.warehouse.setLastUpdated(Date(), forSymbol: id)
    }

    /// Predictions of the fixture's model (horizon 60) at the given minutes.
    func addPredictions(_ symbol: String, _ values: [Int: Double]) throws {
        try stores.database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO forecasting_models (id, symbol, horizon_minutes, kind, version, training_run, created_at,
                        features, parameters, train_start, train_end, train_rows, data_fingerprint, artifact_path, artifact_checksum,
                        val_count, val_mse, val_mae, val_r2, val_direction, base_mse, base_mae, base_r2, base_direction)
                    VALUES (?, ?, 60, 'ridge', 1, 'test', 0, '[]', '{}', 0, 0, 0, '', '', '', 0, 0, 0, 0, 0, 0, 0, 0, 0)
                    """, arguments: [Self.model + "-" + symbol, symbol])
            for (minute, value) in values {
                try db.execute(
                    sql: """
                        INSERT INTO predictions (symbol, time, horizon_minutes, model_version, prediction, target_time, created_at)
                        VALUES (?, ?, 60, ?, ?, ?, 0)
                        """, arguments: [symbol, Self.time(minute), Self.model + "-" + symbol, value, Self.time(minute + 60)])
            }
        }
    }

    /// The defaults with `values` over them.
    func configuration(_ values: [String: String]) throws -> UpdraftConfiguration {
        try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys)).overriding(
            values.merging(["home": home], uniquingKeysWith: { $1 }), origin: "test")
    }

    /// The crypto DAGs in-process over these stores and `configuration`.
    func harness(_ configuration: UpdraftConfiguration) async throws -> DAGTestHarness {
        let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
        return try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
    }

    /// A finished run: its row and its task instances by task id.
    struct Finished {
        var run: DAGRun
        var instances: [String: TaskInstance]
        var state: RunState { run.state }
    }

    /// Triggers `dagId` (or re-executes `key`) on `engine` (the harness's, with other settings)
    /// and runs it to its end with the harness's executor.
    static func run(_ dagId: String, key: RunKey? = nil, engine: Engine, harness: DAGTestHarness) async throws -> Finished {
        let runKey: RunKey
        if let key { runKey = key } else { runKey = try await engine.trigger(dagId: dagId, triggeredBy: .test).key }
        _ = try await engine.execute(runKey, executor: harness.executor)
        let run = try await harness.store.run(runKey)!
        let instances = try await harness.store.taskInstances(run: runKey)
        return Finished(run: run, instances: Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 }))
    }

    func remove() { try? FileManager.default.removeItem(atPath: home) }
}
