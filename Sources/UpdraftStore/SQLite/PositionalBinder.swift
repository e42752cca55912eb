import GRDB
import GRDBSQLite

/// Runs a cached statement (a write, or the lease's fence query) with its values bound by position
/// through SQLite's C API.
///
/// The engine's commits write a task instance (17 values) and a try (8) for every state change;
/// building GRDB's `StatementArguments` (an array of existential values) for them cost more than
/// SQLite's own work on the row. Binding straight from typed Swift values skips that.
struct PositionalBinder {
    private let handle: OpaquePointer
    private var position: Int32 = 0
    private var failure: Int32 = SQLITE_OK

    /// Resets `statement`, lets `bind` bind every parameter in order, and steps it once.
    static func execute(_ statement: Statement, in db: Database, _ bind: (inout PositionalBinder) -> Void) throws {
        _ = try step(statement, in: db, expecting: SQLITE_DONE, bind)
    }

    /// As ``execute(_:in:_:)`` for a query: whether it returns a row (read no further).
    static func returnsRow(_ statement: Statement, in db: Database, _ bind: (inout PositionalBinder) -> Void) throws -> Bool {
        try step(statement, in: db, expecting: SQLITE_ROW, bind)
    }

    /// Binds, steps once, resets; true when the step returned `expected` (`SQLITE_DONE` is the
    /// other result a query may give), else throws SQLite's message with the SQL.
    private static func step(
        _ statement: Statement, in db: Database, expecting expected: Int32, _ bind: (inout PositionalBinder) -> Void
    ) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var binder = PositionalBinder(handle: handle)
        bind(&binder)
        guard binder.failure == SQLITE_OK, binder.position == sqlite3_bind_parameter_count(handle) else {
            let message =
                binder.failure == SQLITE_OK
                ? "bound \(binder.position) of \(sqlite3_bind_parameter_count(handle)) parameters"
                : String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_clear_bindings(handle)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: binder.failure == SQLITE_OK ? SQLITE_MISUSE : binder.failure), message: message,
                sql: statement.sql)
        }
        let code = sqlite3_step(handle)
        let message = code == expected || code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        if let message { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql) }
        return code == expected
    }

    private init(handle: OpaquePointer) { self.handle = handle }

    private mutating func record(_ code: Int32) {
        if code != SQLITE_OK, failure == SQLITE_OK { failure = code }
    }

    mutating func bind(_ value: String) {
        position += 1
        record(sqlite3_bind_text(handle, position, value, -1, SQLITE_TRANSIENT))
    }

    mutating func bind(_ value: String?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bind(_ value: Int) {
        position += 1
        record(sqlite3_bind_int64(handle, position, Int64(value)))
    }

    mutating func bind(_ value: Double?) {
        guard let value else { return bindNull() }
        position += 1
        record(sqlite3_bind_double(handle, position, value))
    }

    private mutating func bindNull() {
        position += 1
        record(sqlite3_bind_null(handle, position))
    }
}

/// SQLite copies the bound text before the call returns (Swift's C string is temporary).
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
