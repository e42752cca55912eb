import Foundation
import GRDB
import UpdraftStore

/// The one owner of `<home>/market.db`: one connection pool per process and one migrator with
/// every migration of the file (warehouse, indicators, forecasting, alerts, trading), shared by the
/// kline warehouse, the indicator store, the model registry, predictions, alerts and the trading ledger (GRDB's rule: connect to
/// a database file only once per process).
///
/// ```swift
/// let database = try MarketDatabase(home: "runs")
/// let warehouse = KlineWarehouse(database: database)
/// let registry = try ModelRegistry(database: database, home: "runs")
/// ```
public final class MarketDatabase: Sendable {
    /// The database file, or nil for an in-memory database.
    public let path: String?
    /// The pool (a queue in memory). A connection never escapes its `read`/`write` closure.
    public let writer: any DatabaseWriter
    /// Held by each archive import for its whole run: an import sets the writer's pragmas and
    /// restores them at its end, which two imports at once would interleave (leaving the
    /// automatic checkpoint off). Their transactions take turns on the one writer anyway.
    let importTurn = NSLock()

    /// Every migration of `market.db`, in the order they were first shipped. The ids are those the
    /// three separate migrators of earlier versions used, so an existing file keeps its tables
    /// and only what is missing is applied.
    public static var migrator: DatabaseMigrator {
        var migrator = WarehouseSchema.migrator
        IndicatorSchema.register(in: &migrator)
        ForecastingSchema.register(in: &migrator)
        WarehouseSchema.registerExchangeColumn(in: &migrator)
        WarehouseSchema.registerUniverse(in: &migrator)
        WarehouseSchema.registerPartialBuckets(in: &migrator)
        WarehouseSchema.registerPartitions(in: &migrator)
        WarehouseSchema.registerLoadLedger(in: &migrator)
        AlertSchema.register(in: &migrator)
        TradingSchema.register(in: &migrator)
        ForecastingSchema.registerInterval(in: &migrator)
        IndicatorSchema.registerIntervals(in: &migrator)
        return migrator
    }

    /// Opens (creating and migrating if needed) the file at `path`, in WAL mode with
    /// `synchronous = NORMAL` (a commit survives a process crash; the last ones may be lost on
    /// power failure, which a re-import restores) and, for a new file, 16 KiB pages (about 20%
    /// faster bulk inserts than 4 KiB). Worker processes each open their own pool on the same
    /// file, so writers still wait on each other's locks (up to 10 s).
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 16384")  // no effect on an existing file
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        self.path = path
        writer = try Self.openMigrated(path: path, configuration: configuration)
    }

    /// Opens `market.db` in the directory `home`.
    public convenience init(home: String) throws {
        try self.init(path: (home as NSString).appendingPathComponent("market.db"))
    }

    /// An empty in-memory database (tests).
    public init() throws {
        path = nil
        writer = try DatabaseQueue()
        let migrator = Self.migrator
        if try !Self.schemaSnapshot.applyIfEmpty(to: writer, migrator: migrator) { try migrator.migrate(writer) }
    }

    /// The ids of the migrations applied, in the migrator's order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Self.migrator.appliedMigrations(db) }
    }
}
