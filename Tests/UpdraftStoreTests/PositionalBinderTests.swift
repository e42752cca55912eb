import GRDB
import Testing

@testable import UpdraftStore

/// The C-API binding of the store's hottest writes (`PositionalBinder`).
@Suite struct PositionalBinderTests {
    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (a TEXT NOT NULL, b INTEGER, c REAL, d TEXT)") }
        return queue
    }

    @Test func valuesAndNullsArriveInTheirColumns() throws {
        let queue = try Self.database()
        try queue.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)")
            try PositionalBinder.execute(statement, in: db) { row in
                row.bind("é ✓"); row.bind(42); row.bind(1.5 as Double?); row.bind(nil as String?)
            }
            try PositionalBinder.execute(statement, in: db) { row in
                row.bind("second"); row.bind(-1); row.bind(nil as Double?); row.bind("d" as String?)
            }
            let rows = try Row.fetchAll(db, sql: "SELECT a, b, c, d FROM t ORDER BY rowid")
            #expect(rows == [["a": "é ✓", "b": 42, "c": 1.5, "d": nil], ["a": "second", "b": -1, "c": nil, "d": "d"]])
        }
    }

    @Test func aMissingValueIsAnErrorAndNothingIsWritten() throws {
        let queue = try Self.database()
        try queue.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)")
            let error = #expect(throws: DatabaseError.self) {
                try PositionalBinder.execute(statement, in: db) { row in row.bind("only one") }
            }
            #expect(error?.message == "bound 1 of 4 parameters")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 0)
        }
    }

    /// A failed step reports SQLite's message, and the cached statement works again afterwards.
    @Test func aConstraintFailureNamesItAndLeavesTheStatementUsable() throws {
        let queue = try Self.database()
        try queue.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)")
            let error = #expect(throws: DatabaseError.self) {
                try PositionalBinder.execute(statement, in: db) { row in
                    row.bind(nil as String?); row.bind(1); row.bind(nil as Double?); row.bind(nil as String?)
                }
            }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            #expect(error?.message?.contains("NOT NULL constraint failed: t.a") == true)
            try PositionalBinder.execute(statement, in: db) { row in
                row.bind("after"); row.bind(2); row.bind(nil as Double?); row.bind(nil as String?)
            }
            #expect(try String.fetchAll(db, sql: "SELECT a FROM t") == ["after"])
        }
    }

    /// The lease's fence check: a query bound by position says whether it matched a row.
    @Test func aQuerySaysWhetherARowMatches() throws {
        let queue = try Self.database()
        try queue.write { db in
            try db.execute(sql: "INSERT INTO t VALUES ('lease', 7, NULL, NULL)")
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM t WHERE a = ? AND b = ?")
            #expect(
                try PositionalBinder.returnsRow(statement, in: db) { row in
                    row.bind("lease"); row.bind(7)
                })
            #expect(
                try !PositionalBinder.returnsRow(statement, in: db) { row in
                    row.bind("lease"); row.bind(8)
                })
            #expect(throws: DatabaseError.self) {
                try PositionalBinder.returnsRow(statement, in: db) { row in row.bind("lease") }
            }
        }
    }
}
