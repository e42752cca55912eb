import Foundation
import GRDB

/// The schema that a migrator's migrations leave on an empty SQLite database, recorded so that a
/// new file gets it in one transaction, with every migration marked applied.
///
/// Replaying migrations on an empty file (tables made, altered, copied into a new shape and
/// renamed, as they shipped) re-parses the growing schema at each step: for `market.db` about
/// 100 ms, most of a fresh home's first command. Later migrations run on a snapshot-made file as
/// on any other. A snapshot is generated (``generatedSource(extending:property:imports:regenerate:)``)
/// and a test holds it to the migrations (``differences(from:)``).
///
/// ```swift
/// if try !StoreSchema.snapshot.applyIfEmpty(to: pool, migrator: migrator) { try migrator.migrate(pool) }
/// ```
public struct SchemaSnapshot: Sendable {
    /// The migrations the snapshot stands for, in the migrator's order.
    public let migrations: [String]
    /// The `sql` of every schema entry (``entries(_:)``), in creation order, then the rows the
    /// migrations seed (``seedRows(_:)``).
    public let statements: [String]

    /// A snapshot of `migrations` made by `statements`.
    public init(migrations: [String], statements: [String]) {
        self.migrations = migrations
        self.statements = statements
    }

    /// Creates the schema on `writer` when its database has no schema at all and the snapshot
    /// stands for exactly `migrator`'s migrations; returns whether it did (false: migrate).
    public func applyIfEmpty(to writer: some DatabaseWriter, migrator: DatabaseMigrator) throws -> Bool {
        guard migrator.migrations == migrations else { return false }
        return try writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 else { return false }
            for statement in statements { try db.execute(sql: statement) }
            let record = try db.makeStatement(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)")
            for identifier in migrations { try record.execute(arguments: [identifier]) }
            return true
        }
    }

    /// `[type, name, tbl_name, sql]` of every schema entry with SQL, in creation order.
    public static func entries(_ db: Database) throws -> [[String]] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid
                """
        ).map { row in (0..<4).map { row[$0] as String } }
    }

    /// An `INSERT` of every row the migrations seeded (a default pool, a counter), table by table
    /// in creation order; the ledger of migrations is left out (``applyIfEmpty(to:migrator:)``
    /// writes it).
    public static func seedRows(_ db: Database) throws -> [String] {
        var inserts: [String] = []
        for entry in try entries(db) where entry[0] == "table" && entry[1] != "grdb_migrations" {
            let table = entry[1].quotedDatabaseIdentifier
            let columns = try db.columns(in: entry[1]).map(\.name.quotedDatabaseIdentifier)
            let values = columns.map { "quote(\($0))" }.joined(separator: " || ', ' || ")
            for row in try String.fetchAll(db, sql: "SELECT \(values) FROM \(table) ORDER BY 1") {
                inserts.append("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(row))")
            }
        }
        return inserts
    }

    /// The snapshot of what `migrator` leaves on an empty in-memory database.
    public static func of(_ migrator: DatabaseMigrator) throws -> SchemaSnapshot {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return try queue.read { db in
            SchemaSnapshot(migrations: migrator.migrations, statements: try entries(db).map { $0[3] } + seedRows(db))
        }
    }

    /// Nil when this snapshot makes, entry for entry, the schema `migrator` leaves; else the
    /// first difference, in words.
    public func differences(from migrator: DatabaseMigrator) throws -> String? {
        if migrations != migrator.migrations {
            return "the snapshot stands for migrations \(migrations), the migrator has \(migrator.migrations)"
        }
        let migrated = try DatabaseQueue()
        try migrator.migrate(migrated)
        let expected = try migrated.read(Self.entries)
        let made = try DatabaseQueue()
        guard try applyIfEmpty(to: made, migrator: migrator) else { return "the snapshot was not applied to an empty database" }
        let actual = try made.read(Self.entries)
        for (index, entry) in expected.enumerated() where index >= actual.count || actual[index] != entry {
            return
                "schema entry \(index + 1) (\(entry[0]) \(entry[1])): the migrations make \(entry[3]); the snapshot makes \(index < actual.count ? actual[index][3] : "nothing")"
        }
        if actual.count > expected.count { return "the snapshot makes more: \(actual[expected.count][3])" }
        for pragma in ["user_version", "application_id", "auto_vacuum"] {
            let set = try migrated.read { try Int.fetchOne($0, sql: "PRAGMA \(pragma)") }
            let copied = try made.read { try Int.fetchOne($0, sql: "PRAGMA \(pragma)") }
            if set != copied { return "the migrations set PRAGMA \(pragma) to \(set ?? 0), which a snapshot does not carry" }
        }
        let seeded = try migrated.read(Self.seedRows), copied = try made.read(Self.seedRows)
        if seeded != copied { return "the migrations seed \(seeded); the snapshot seeds \(copied)" }
        return nil
    }

    /// `template` once for each of `names`, with `{table}` replaced by the name: the tables that
    /// migrations make in a loop (one a kline interval) stand in a generated snapshot once.
    public static func each(_ names: [String], _ template: String) -> [String] {
        // Split once and join per name: Foundation's replacingOccurrences goes through NSString
        // (6.1 M instructions here, 13% of opening a fresh market.db; 1.9 M now).
        let parts = template.split(separator: tablePlaceholder, omittingEmptySubsequences: false)
        return names.map { parts.joined(separator: $0) }
    }

    static let tablePlaceholder = "{table}"

    /// Swift source of a file that declares this snapshot as `static let <property>` in an
    /// extension of `type`, importing `imports`; `regenerate` is the command that writes it again.
    /// A run of three or more statements that differ only by the name they create is written
    /// once, as ``each(_:_:)``.
    public func generatedSource(extending type: String, property: String, imports: [String], regenerate: String) -> String {
        func literal(_ text: String) -> String {
            let body = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "                " + $0 }.joined(separator: "\n")
            return "                #\"\"\"\n\(body)\n                \"\"\"#"
        }
        var chunks: [String] = []
        var single: [String] = []
        func flush() {
            if !single.isEmpty {
                chunks.append("            [\n\(single.map { literal($0) + "," }.joined(separator: "\n"))\n            ]")
            }
            single.removeAll()
        }
        for run in Self.runs(of: statements) {
            if let (names, template) = run.repeated {
                flush()
                let list = names.map { "                    \"\($0)\"," }.joined(separator: "\n")
                chunks.append("            SchemaSnapshot.each(\n                [\n\(list)\n                ],\n\(literal(template)))")
            } else {
                single.append(run.statement)
            }
        }
        flush()
        // As `make format` leaves it: a trailing comma after a last call, none after a last array.
        let body = chunks.joined(separator: ",\n") + (chunks.last?.hasSuffix(")") == true ? "," : "")
        return """
            // Generated from the migrations: do not edit. After adding a migration, run
            // `\(regenerate)`.
            \(imports.map { "import \($0)\n" }.joined())
            extension \(type) {
                /// The schema the migrations leave on an empty file (see `SchemaSnapshot`).
                static let \(property) = SchemaSnapshot(
                    migrations: [
            \(migrations.map { "            \"\($0)\"," }.joined(separator: "\n"))
                    ],
                    statements: [
            \(body)
                    ].flatMap { $0 })
            }

            """
    }

    /// `statements` as single statements and runs of three or more `CREATE` statements that are
    /// one template with another name each.
    private static func runs(of statements: [String]) -> [(statement: String, repeated: (names: [String], template: String)?)] {
        func createdName(_ statement: String) -> String? {
            let words = statement.split(whereSeparator: \.isWhitespace)
            guard words.count > 3, words[0] == "CREATE" else { return nil }
            let name = words[2].trimmingCharacters(in: CharacterSet(charactersIn: "\"("))
            return name.isEmpty || statement.contains(tablePlaceholder) ? nil : name
        }
        var result: [(statement: String, repeated: (names: [String], template: String)?)] = []
        var index = 0
        while index < statements.count {
            guard let name = createdName(statements[index]) else {
                result.append((statements[index], nil))
                index += 1
                continue
            }
            let template = statements[index].replacingOccurrences(of: name, with: tablePlaceholder)
            var names = [name]
            while index + names.count < statements.count, let next = createdName(statements[index + names.count]),
                each([next], template) == [statements[index + names.count]]
            {
                names.append(next)
            }
            if names.count >= 3 {
                result.append(("", (names, template)))
            } else {
                result.append((statements[index], nil))
                names = [name]
            }
            index += names.count
        }
        return result
    }
}
