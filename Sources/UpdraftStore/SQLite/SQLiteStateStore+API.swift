import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func users() async throws -> [UserRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_user ORDER BY username").map(Self.user(from:)) }
    }

    public func user(_ username: String) async throws -> UserRecord? {
        try read { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM api_user WHERE username = ?"), arguments: [username])
                .map(Self.user(from:))
        }
    }

    static func user(from row: Row) -> UserRecord {
        UserRecord(
            username: row["username"], passwordHash: row["password_hash"],
            // A role written by a newer version reads as the weakest one.
            role: UserRole(rawValue: row["role"]) ?? .viewer,
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            tokensValidAfter: (row["tokens_valid_after"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    public func saveUser(_ user: UserRecord) async throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO api_user(username, password_hash, role, created_at, tokens_valid_after)
                    VALUES (?,?,?,?,?)
                    """,
                arguments: [
                    user.username, user.passwordHash, user.role.rawValue, user.createdAt.timeIntervalSince1970,
                    user.tokensValidAfter?.timeIntervalSince1970,
                ])
        }
    }

    public func deleteUser(_ username: String) async throws -> Bool {
        try delete("DELETE FROM api_user WHERE username = ?", username)
    }

    public func signingKey(orStore candidate: [UInt8]) async throws -> [UInt8] {
        try write { db in
            // One write transaction: of two processes, the first inserts and both read its key.
            try db.execute(sql: "INSERT OR IGNORE INTO api_signing_key(id, key) VALUES (1, ?)", arguments: [Data(candidate)])
            guard let key = try Data.fetchOne(db, sql: "SELECT key FROM api_signing_key WHERE id = 1") else {
                throw StoreError.database("the API signing key is missing right after it was stored")
            }
            return Array(key)
        }
    }

    public func variables() async throws -> [VariableRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM variable ORDER BY key").map(Self.variable(from:)) }
    }

    public func variable(_ key: String) async throws -> VariableRecord? { try readVariable(key) }

    public func readVariable(_ key: String) throws -> VariableRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM variable WHERE key = ?", arguments: [key]).map(Self.variable(from:))
        }
    }

    static func variable(from row: Row) -> VariableRecord {
        VariableRecord(key: row["key"], value: row["val"], description: row["description"])
    }

    public func saveVariable(_ v: VariableRecord) async throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO variable(key, val, description) VALUES (?,?,?)",
                arguments: [v.key, v.value, v.description])
        }
    }

    public func deleteVariable(_ key: String) async throws -> Bool {
        try delete("DELETE FROM variable WHERE key = ?", key)
    }

    public func connections() async throws -> [ConnectionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM connection ORDER BY conn_id").map(Self.connection(from:))
        }
    }

    public func connection(_ id: String) async throws -> ConnectionRecord? { try readConnection(id) }

    public func readConnection(_ id: String) throws -> ConnectionRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM connection WHERE conn_id = ?", arguments: [id])
                .map(Self.connection(from:))
        }
    }

    static func connection(from row: Row) -> ConnectionRecord {
        ConnectionRecord(
            connectionId: row["conn_id"], connType: row["conn_type"], description: row["description"],
            host: row["host"], schema: row["schema"], login: row["login"], password: row["password"],
            port: row["port"], extra: row["extra"])
    }

    public func saveConnection(_ c: ConnectionRecord) async throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO connection(conn_id, conn_type, description, host, schema, login, password,
                        port, extra) VALUES (?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    c.connectionId, c.connType, c.description, c.host, c.schema, c.login, c.password, c.port, c.extra,
                ])
        }
    }

    public func deleteConnection(_ id: String) async throws -> Bool {
        try delete("DELETE FROM connection WHERE conn_id = ?", id)
    }

    public func deletePool(_ name: String) async throws -> Bool {
        try delete("DELETE FROM slot_pool WHERE pool = ?", name)
    }

    /// Runs a `DELETE` of one key; whether it deleted a row.
    func delete(_ sql: String, _ key: String) throws -> Bool {
        try write { db in
            try db.execute(sql: sql, arguments: [key])
            return db.changesCount > 0
        }
    }

    public func setRunNote(_ key: RunKey, note: String?) async throws {
        try write { db in
            try db.execute(
                sql: "UPDATE dag_run SET note = ? WHERE dag_id = ? AND run_id = ?", arguments: [note, key.dagId, key.runId])
            if db.changesCount == 0 { throw StoreError.unknownRun(key) }
        }
    }

    public func xcoms(run: RunKey, taskId: String?) async throws -> [XComRecord] {
        var sql = """
            SELECT x.task_id, x.key, x.value, COALESCE(t.end_date, t.start_date, r.queued_at, 0)
            FROM xcom x JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id
            LEFT JOIN task_instance t ON t.dag_id = x.dag_id AND t.run_id = x.run_id AND t.task_id = x.task_id
            WHERE x.dag_id = ? AND x.run_id = ?
            """
        var arguments: StatementArguments = [run.dagId, run.runId]
        if let taskId { sql += " AND x.task_id = ?"; arguments += [taskId] }
        sql += " ORDER BY x.task_id, x.key"
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                XComRecord(
                    dagId: run.dagId, runId: run.runId, taskId: row[0], key: row[1], value: Array(row[2] as Data),
                    timestamp: Date(timeIntervalSince1970: row[3]))
            }
        }
    }
}
