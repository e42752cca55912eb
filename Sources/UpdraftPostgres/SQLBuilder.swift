import PostgresNIO

/// SQL text with its binds, for statements whose shape depends on the call (filters, pages):
/// `bind` appends a value and returns its `$n` placeholder.
struct SQLBuilder {
    var text: String
    var binds = PostgresBindings()

    init(_ text: String = "") { self.text = text }

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        if let value { binds.append(value) } else { binds.appendNull() }
        return "$\(binds.count)"
    }

    static func += (builder: inout SQLBuilder, text: String) { builder.text += text }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }

    /// `WHERE a AND b` (empty without clauses).
    static func whereClause(_ clauses: [String]) -> String {
        clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
    }

    /// ` LIMIT n OFFSET m`, or nothing for the whole listing.
    static func page(limit: Int?, offset: Int) -> String {
        guard limit != nil || offset > 0 else { return "" }
        return (limit.map { " LIMIT \(max(0, $0))" } ?? "") + " OFFSET \(max(0, offset))"
    }

    /// SQLite's order of NULLs (first when ascending, last when descending) in PostgreSQL.
    static func direction(descending: Bool) -> String { descending ? "DESC NULLS LAST" : "ASC NULLS FIRST" }
}

/// Reads the cells of a row one after the other.
struct RowReader {
    let row: PostgresRandomAccessRow
    var index = 0

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    mutating func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
        defer { index += 1 }
        return try row[index].decode(T.self)
    }
}
