import Forecasting
import Foundation
import MarketData

/// The crypto pipeline's storage, a resource built once per process
/// (`try ctx.resource(MarketStores.self)`): the one ``MarketDatabase`` of `market.db` and the
/// warehouse, indicator store, model registry, forecaster, alerts and trading ledger that share it.
public final class MarketStores: Sendable {
    /// The owner of `market.db`: one pool, one migrator.
    public let database: MarketDatabase
    public let warehouse: KlineWarehouse
    /// The `indicators` DAG's tables.
    public let indicators: IndicatorStore
    /// Training, the model registry and scoring (artifacts under `<home>/models/`).
    public let forecaster: Forecaster
    /// The `alerts` DAG's firings and arm states.
    public let alerts: AlertStore
    /// The `trading` DAG's ledger: orders, fills, positions, equity per bar.
    public let ledger: TradingLedger

    /// The stores over `database`, with model artifacts under `home`.
    public init(database: MarketDatabase, home: String) throws {
        self.database = database
        warehouse = KlineWarehouse(database: database)
        indicators = IndicatorStore(database: database)
        forecaster = Forecaster(registry: try ModelRegistry(database: database, home: home))
        alerts = AlertStore(database: database)
        ledger = TradingLedger(database: database)
    }

    /// Opens `<home>/market.db` (creating and migrating it if needed).
    public convenience init(home: String) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try self.init(database: try MarketDatabase(home: home), home: home)
    }
}
