import Foundation
import GRDB

/// The kline warehouse: its own SQLite database (`market.db`, separate from the engine's
/// state store) holding klines per interval (`tickerdata_1m`, `tickerdata_1h`, …), the
/// CoinGecko symbol list with rank history, and a ledger of loaded archive files.
///
/// Prices and volumes are stored as exact ``FixedDecimal`` units (value × 10^8: an INTEGER when
/// they fit an `Int64`, else a 16-byte big-endian BLOB of the `Int128`, in the same column) and
/// times as µs since the epoch, so an export reproduces the source files byte for byte.
///
/// ```swift
/// let warehouse = try KlineWarehouse(home: "runs")          // runs/market.db
/// let loads = warehouse.importArchives([.file(path: "BTCUSDT-1m-2024-01.zip")])
/// let series = try warehouse.candles(symbol: "BTCUSDT", interval: .oneMinute,
///                                    from: start, to: end)
/// ```
public final class KlineWarehouse: Sendable {
    /// The database file, or nil for an in-memory warehouse.
    public var path: String? { database.path }
    /// The file's owner, shared with the indicator store and the model registry.
    public let database: MarketDatabase
    var writer: any DatabaseWriter { database.writer }

    /// The warehouse's tables in `database`.
    public init(database: MarketDatabase) {
        self.database = database
    }

    /// Opens (creating and migrating if needed) its own ``MarketDatabase`` at `path`: for a
    /// command or a test that uses the warehouse alone.
    public convenience init(path: String) throws {
        self.init(database: try MarketDatabase(path: path))
    }

    /// Opens `market.db` in the directory `home` (the `--home` / `UPDRAFT_HOME` directory).
    public convenience init(home: String) throws {
        try self.init(path: (home as NSString).appendingPathComponent("market.db"))
    }

    /// An empty in-memory warehouse (tests).
    public convenience init() throws {
        self.init(database: try MarketDatabase())
    }

    /// The names of the migrations applied to the file (all of ``MarketDatabase``'s), in order.
    public func appliedMigrations() throws -> [String] { try database.appliedMigrations() }
}

extension Date {
    /// Microseconds since the Unix epoch, rounded.
    var microsecondsSinceEpoch: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
    /// A date from µs since the Unix epoch.
    init(microsecondsSinceEpoch value: Int64) { self.init(timeIntervalSince1970: Double(value) / 1_000_000) }
}
