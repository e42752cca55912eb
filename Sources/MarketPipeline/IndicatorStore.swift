import Foundation
import GRDB
import GRDBSQLite
import Indicators

/// The `indicators` DAG's tables in `<home>/market.db`, next to the candles they come from:
///
/// - `indicators_1m`: one row per 1-minute candle of a symbol with the fifteen standard outputs
///   (`IndicatorSet.columns`); NULL where TA-Lib has no value yet (the lookback).
/// - `indicator_state`: where each symbol's computation stands (the last candle included, how
///   many candles since the first, and the indicators' incremental state when it can be
///   stored), so the next run computes only what is new.
///
/// Migrations are forward-only, with ids prefixed `indicators-`, in GRDB's ledger of the same
/// file (the warehouse's own migrations ignore them).
final class IndicatorStore: Sendable {
    let database: DatabasePool

    /// Opens (and migrates) the tables in the SQLite file at `path`.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("indicators-v1") { db in
            try db.execute(sql: """
                CREATE TABLE indicators_1m (
                    symbol TEXT NOT NULL,
                    open_time INTEGER NOT NULL,
                    sma20 REAL, ema20 REAL, rsi14 REAL,
                    macd REAL, macd_signal REAL, macd_hist REAL,
                    bb_upper REAL, bb_middle REAL, bb_lower REAL,
                    atr14 REAL, obv REAL, vwap REAL,
                    stoch_k REAL, stoch_d REAL, adx14 REAL,
                    PRIMARY KEY (symbol, open_time)
                ) WITHOUT ROWID;
                CREATE TABLE indicator_state (
                    symbol TEXT NOT NULL,
                    interval TEXT NOT NULL,
                    first_open_time INTEGER NOT NULL,
                    last_open_time INTEGER NOT NULL,
                    bars INTEGER NOT NULL,
                    state BLOB,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (symbol, interval)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// Where a symbol's computation stands.
    struct Checkpoint: Equatable, Sendable {
        /// Open time (µs) of the first and the last candle included.
        var firstOpenTime: Int64
        var lastOpenTime: Int64
        /// Candles included, from the first to the last.
        var bars: Int
        /// The encoded `IndicatorStream`, when the indicators' state types can be encoded.
        var state: Data?
    }

    func checkpoint(symbol: String, interval: String = "1m") throws -> Checkpoint? {
        try database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT first_open_time, last_open_time, bars, state
                FROM indicator_state WHERE symbol = ? AND interval = ?
                """, arguments: [symbol, interval]).map {
                Checkpoint(firstOpenTime: $0[0], lastOpenTime: $0[1], bars: $0[2], state: $0[3])
            }
        }
    }

    /// Writes the outputs of `openTimes` and the new checkpoint in one transaction; with
    /// `replacing`, the symbol's earlier rows go first (a recomputation from scratch).
    func save(symbol: String, openTimes: [Int64], outputs: IndicatorSet, checkpoint: Checkpoint,
              replacing: Bool, interval: String = "1m") throws {
        try database.write { db in
            if replacing {
                try db.execute(sql: "DELETE FROM indicators_1m WHERE symbol = ?", arguments: [symbol])
            }
            try Self.insert(symbol: symbol, openTimes: openTimes, outputs: outputs, in: db)
            try db.execute(sql: """
                INSERT OR REPLACE INTO indicator_state
                    (symbol, interval, first_open_time, last_open_time, bars, state, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [symbol, interval, checkpoint.firstOpenTime, checkpoint.lastOpenTime,
                                 checkpoint.bars, checkpoint.state, Date().micros])
        }
    }

    static let insertSQL = """
        INSERT OR REPLACE INTO indicators_1m (symbol, open_time, \(IndicatorSet.columns.joined(separator: ", ")))
        VALUES (?, ?\(String(repeating: ", ?", count: IndicatorSet.columns.count)))
        """

    /// Binds with the raw SQLite API on a GRDB statement (as the warehouse's inserts do): NaN,
    /// TA-Lib's "no value yet", is stored as NULL.
    private static func insert(symbol: String, openTimes: [Int64], outputs: IndicatorSet, in db: Database) throws {
        let statement = try db.cachedStatement(sql: insertSQL)
        let handle = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        defer { sqlite3_clear_bindings(handle); sqlite3_reset(handle) }
        sqlite3_bind_text(handle, 1, symbol, -1, transient)
        let columns = outputs.values
        for row in openTimes.indices {
            sqlite3_bind_int64(handle, 2, openTimes[row])
            for column in columns.indices {
                let value = columns[column][row]
                let index = Int32(column + 3)
                if value.isNaN { sqlite3_bind_null(handle, index) } else { sqlite3_bind_double(handle, index, value) }
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "\(symbol): \(message)", sql: insertSQL)
            }
            sqlite3_reset(handle)
        }
    }

    /// The stored outputs of `symbol` from `from` (µs) on, in column order; NaN for NULL.
    func outputs(symbol: String, from: Int64 = .min) throws -> (openTimes: [Int64], set: IndicatorSet) {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT open_time, \(IndicatorSet.columns.joined(separator: ", "))
                FROM indicators_1m WHERE symbol = ? AND open_time >= ? ORDER BY open_time
                """, arguments: [symbol, from])
            let columns = IndicatorSet.columns.indices.map { column in
                rows.map { ($0[column + 1] as Double?) ?? .nan }
            }
            return (rows.map { $0[0] }, IndicatorSet(values: columns))
        }
    }
}
