import GRDB
import GRDBSQLite

/// A bulk insert of rows `(key TEXT, time INTEGER, value REAL…)`, bound with the raw SQLite API on
/// a cached GRDB statement (as the warehouse's kline inserts are): several times faster than
/// GRDB's argument arrays. NaN is stored as NULL. The C calls stay in this module.
///
/// ```swift
/// try DoubleColumnsInsert.run(sql: insertSQL, key: "BTCUSDT", times: times, columns: columns, in: db)
/// ```
public enum DoubleColumnsInsert {
    /// Inserts `times.count` rows with `sql` (parameters: key, time, then one per column).
    public static func run(sql: String, key: String, times: [Int64], columns: [[Double]], in db: Database) throws {
        try times.withUnsafeBufferPointer { times in
            try withBuffers(columns) { columns in try run(sql: sql, key: key, times: times, columns: columns, in: db) }
        }
    }

    /// ``run(sql:key:times:columns:in:)`` over buffers: a chunk of a longer series, each column
    /// holding at least `times.count` values.
    public static func run(
        sql: String, key: String, times: UnsafeBufferPointer<Int64>, columns: [UnsafeBufferPointer<Double>],
        in db: Database
    ) throws {
        precondition(columns.allSatisfy { $0.count >= times.count }, "DoubleColumnsInsert: a column is shorter than the times")
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        defer { sqlite3_clear_bindings(handle); sqlite3_reset(handle) }
        sqlite3_bind_text(handle, 1, key, -1, transient)
        for row in times.indices {
            sqlite3_bind_int64(handle, 2, times[row])
            for column in columns.indices {
                let value = columns[column][row]
                let index = Int32(column + 3)
                if value.isNaN { sqlite3_bind_null(handle, index) } else { sqlite3_bind_double(handle, index, value) }
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "\(key): \(message)", sql: sql)
            }
            sqlite3_reset(handle)
        }
    }

    /// Calls `body` with a buffer over each array, in order.
    private static func withBuffers<R>(
        _ arrays: [[Double]], _ collected: [UnsafeBufferPointer<Double>] = [],
        _ body: ([UnsafeBufferPointer<Double>]) throws -> R
    ) rethrows -> R {
        guard collected.count < arrays.count else { return try body(collected) }
        return try arrays[collected.count].withUnsafeBufferPointer { try withBuffers(arrays, collected + [$0], body) }
    }
}
