import Foundation
import GRDB
import NIOCore
import PostgresNIO
import UpdraftStore

extension PostgresStateStore {
    /// Rows per `INSERT … SELECT * FROM UNNEST(…)` of a copy.
    static let copyChunk = 5_000

    /// Copies every table of a home's SQLite state file (runs, tasks, tries, XCom, factory inputs,
    /// pools, assets and their events and queues, backfills, users, the signing key, variables,
    /// connections, the audit log, DAG versions, the outbox) into this database in one transaction,
    /// and moves the identity sequences past the copied ids. Leases and scheduler rows are process
    /// state and stay behind. Refuses unless this database has no runs, users, variables or
    /// connections; rows the engine wrote on its own (DAG rows, assets, versions) are replaced.
    /// Returns the rows copied per table (`updraft db copy --to URL`).
    public func importSQLite(path: String) async throws -> [String: Int] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.database("\(path): no such SQLite state file")
        }
        // Opening it with the store migrates an older file to the current tables first.
        _ = try SQLiteStateStore(path: path)
        let source = try DatabaseQueue(path: path, configuration: Self.readOnly)
        defer { try? source.close() }  // read-only: nothing to lose
        return try await transaction { connection in
            for table in StateTables.mustBeEmpty {
                let rows = try await connection.query("SELECT count(*) FROM \(unescaped: table)", logger: logger).collect()
                let count = try rows.first?.decode(Int.self) ?? 0
                guard count == 0 else {
                    throw StoreError.database(
                        "cannot copy \(path) into \(url): the target database is not empty (\(table) has \(count) rows)")
                }
            }
            let names = StateTables.all.map { "\"\($0.name)\"" }.joined(separator: ", ")
            try await connection.query("TRUNCATE \(unescaped: names)", logger: logger)
            var copied: [String: Int] = [:]
            for table in StateTables.all {
                let rows = try source.read { db in try Row.fetchAll(db, sql: "SELECT \(table.columnList) FROM \"\(table.name)\"") }
                copied[table.name] = rows.count
                var start = 0
                while start < rows.count {
                    let chunk = rows[start..<min(start + Self.copyChunk, rows.count)]
                    try await connection.query(Self.insert(chunk, into: table), logger: logger)
                    start += Self.copyChunk
                }
                if table.hasIdentity {
                    try await connection.query(
                        """
                        SELECT setval(pg_get_serial_sequence('\(unescaped: table.name)', 'id'),
                            COALESCE((SELECT max(id) FROM \(unescaped: table.name)), 0) + 1, false)
                        """, logger: logger)
                }
            }
            // Claims made after the copy get tokens above every copied one.
            try await connection.query(
                "SELECT setval('claim_token_seq', COALESCE((SELECT max(claim_token) FROM task_queue), 0) + 1, false)",
                logger: logger)
            return copied
        }
    }

    static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// One `INSERT … SELECT * FROM UNNEST(…)` of SQLite rows.
    static func insert(_ rows: ArraySlice<Row>, into table: StateTables.Table) -> PostgresQuery {
        var sql = SQLBuilder("INSERT INTO \"\(table.name)\"(\(table.columnList)) SELECT * FROM UNNEST(")
        var columns: [String] = []
        for (index, column) in table.columns.enumerated() {
            let placeholder: String
            switch column.type {
            case .text: placeholder = sql.bind(PostgresColumn(rows.map { $0[index] as String? }))
            case .integer: placeholder = sql.bind(PostgresColumn(rows.map { $0[index] as Int64? }))
            case .real: placeholder = sql.bind(PostgresColumn(rows.map { $0[index] as Double? }))
            case .boolean: placeholder = sql.bind(PostgresColumn(rows.map { $0[index] as Bool? }))
            case .blob: placeholder = sql.bind(PostgresColumn<ByteBuffer>(bytes: rows.map { ($0[index] as Data?).map { Array($0) } }))
            }
            columns.append("\(placeholder)::\(column.type.arrayType)")
        }
        sql += columns.joined(separator: ", ") + ")"
        return sql.query
    }

    /// Writes a consistent copy of this database (one `REPEATABLE READ READ ONLY` snapshot) to a new
    /// SQLite state file at `path`, which `SQLiteStateStore` opens and `importSQLite` restores
    /// (`updraft db backup FILE`). Refuses to overwrite a file. Returns the rows copied per table.
    public func exportSQLite(to path: String) async throws -> [String: Int] {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.database("\(path) exists; a backup goes to a new file")
        }
        // The store creates the file with its current schema (and the default pool, replaced below).
        do {
            return try await writeBackup(to: path)
        } catch {
            // A half-written backup must not pass for one.
            for file in [path, path + "-wal", path + "-shm", path + "-open-lock"] { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
    }

    func writeBackup(to path: String) async throws -> [String: Int] {
        _ = try SQLiteStateStore(path: path)
        let target = try DatabaseQueue(path: path)
        defer { try? target.close() }  // every write below is committed or has thrown
        return try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try await target.write { db in try db.execute(sql: "DELETE FROM slot_pool") }
            var copied: [String: Int] = [:]
            for table in StateTables.all {
                var values: [[DatabaseValue]] = []
                let rows = try await connection.query(
                    "SELECT \(unescaped: table.columnList) FROM \(unescaped: "\"\(table.name)\"")", logger: logger)
                for try await row in rows {
                    let cells = row.makeRandomAccess()
                    var line: [DatabaseValue] = []
                    for (index, column) in table.columns.enumerated() {
                        let cell = cells[index]
                        switch column.type {
                        case .text: line.append(try cell.decode(String?.self)?.databaseValue ?? .null)
                        case .integer: line.append(try cell.decode(Int64?.self)?.databaseValue ?? .null)
                        case .real: line.append(try cell.decode(Double?.self)?.databaseValue ?? .null)
                        case .boolean: line.append(try cell.decode(Bool?.self)?.databaseValue ?? .null)
                        case .blob: line.append(try cell.decode(ByteBuffer?.self).map { Data($0.readableBytesView).databaseValue } ?? .null)
                        }
                    }
                    values.append(line)
                }
                copied[table.name] = values.count
                let placeholders = Array(repeating: "?", count: table.columns.count).joined(separator: ",")
                let lines = values
                try await target.write { db in
                    let statement = try db.makeStatement(
                        sql: "INSERT INTO \"\(table.name)\"(\(table.columnList)) VALUES (\(placeholders))")
                    for line in lines { try statement.execute(arguments: StatementArguments(line)) }
                }
            }
            try await target.write { db in
                try db.execute(sql: "UPDATE claim_sequence SET last = COALESCE((SELECT max(claim_token) FROM task_queue), 0)")
            }
            return copied
        }
    }
}
