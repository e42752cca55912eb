import Logging
import PostgresNIO

/// A statement of the task path whose text never changes, only its binds. One that is
/// `prepared` runs as a named prepared statement: PostgreSQL parses it once per connection and,
/// after a few calls, plans it once (a generic plan), which suits only statements whose generic
/// plan is right whatever the tables hold: inserts, and lookups of running queue rows, which
/// `task_queue_running` keeps small. A join on all of `task_queue` planned while the table was
/// nearly empty chose to scan it whole, and would have kept doing so for the connection's life
/// (seen with `auto_explain`): such statements are sent unnamed and planned on every call.
///
/// The text casts every parameter (`$1::text[]`) and every call binds the same types: a prepared
/// statement is prepared with the first call's bind types, on each connection.
protocol FixedStatement {
    /// The SQL, `$1` … `$n` in the order the caller appends its binds.
    static var text: String { get }
    /// Whether it runs as a named prepared statement.
    static var prepared: Bool { get }
}

/// The `PostgresPreparedStatement` of one `FixedStatement` with this call's binds.
struct Prepared<Statement: FixedStatement>: PostgresPreparedStatement {
    typealias Row = PostgresRow

    static var name: String { "updraft_\(Statement.self)" }
    static var sql: String { Statement.text }
    let binds: PostgresBindings

    init(_: Statement.Type, _ binds: PostgresBindings) { self.binds = binds }

    func makeBindings() throws -> PostgresBindings { binds }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

extension PostgresStateStore {
    /// The rows of a fixed statement, outside a transaction (one statement is one transaction).
    func rows<Statement: FixedStatement>(_ statement: Statement.Type, _ binds: PostgresBindings) async throws -> [PostgresRow] {
        do { return try await rawRows(statement, binds) } catch { throw mapped(error) }
    }

    /// `rows(_:_:)` with PostgresNIO's errors as they are (for callers that retry on some).
    func rawRows<Statement: FixedStatement>(_ statement: Statement.Type, _ binds: PostgresBindings) async throws -> [PostgresRow] {
        guard Statement.prepared else {
            return try await client.query(PostgresQuery(unsafeSQL: Statement.text, binds: binds), logger: logger).collect()
        }
        var rows: [PostgresRow] = []
        for try await row in try await client.execute(Prepared(statement, binds), logger: logger) { rows.append(row) }
        return rows
    }
}
