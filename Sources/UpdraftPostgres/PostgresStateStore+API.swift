import Foundation
import NIOCore
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    static let userColumns = "username, password_hash, role, created_at, tokens_valid_after"

    static func user(from row: PostgresRow) throws -> UserRecord {
        let (username, hash, role, created, validAfter) = try row.decode((String, String, String, Double, Double?).self)
        // A role written by a newer version reads as the weakest one.
        return UserRecord(
            username: username, passwordHash: hash, role: UserRole(rawValue: role) ?? .viewer, createdAt: created.date,
            tokensValidAfter: validAfter.date)
    }

    public func users() async throws -> [UserRecord] {
        try await rows("SELECT \(unescaped: Self.userColumns) FROM api_user ORDER BY username").map(Self.user(from:))
    }

    public func user(_ username: String) async throws -> UserRecord? {
        try await rows("SELECT \(unescaped: Self.userColumns) FROM api_user WHERE username = \(username)").first.map(Self.user(from:))
    }

    public func saveUser(_ user: UserRecord) async throws {
        try await execute(
            """
            INSERT INTO api_user(username, password_hash, role, created_at, tokens_valid_after)
            VALUES (\(user.username), \(user.passwordHash), \(user.role.rawValue), \(user.createdAt.timeIntervalSince1970),
                \(user.tokensValidAfter?.timeIntervalSince1970))
            ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
                created_at = excluded.created_at, tokens_valid_after = excluded.tokens_valid_after
            """)
    }

    public func deleteUser(_ username: String) async throws -> Bool {
        try await !rows("DELETE FROM api_user WHERE username = \(username) RETURNING 1").isEmpty
    }

    /// `INSERT … ON CONFLICT DO NOTHING`, then the stored key: of two processes both read the first's.
    public func signingKey(orStore candidate: [UInt8]) async throws -> [UInt8] {
        try await transaction { connection in
            try await connection.query(
                "INSERT INTO api_signing_key(id, key) VALUES (1, \(ByteBuffer(bytes: candidate))) ON CONFLICT (id) DO NOTHING",
                logger: logger)
            guard
                let key = try await connection.query("SELECT key FROM api_signing_key WHERE id = 1", logger: logger).collect()
                    .first?.decode(ByteBuffer.self)
            else { throw StoreError.database("the API signing key is missing right after it was stored") }
            return key.bytes
        }
    }

    public func variables() async throws -> [VariableRecord] {
        try await rows("SELECT key, val, description FROM variable ORDER BY key").map(Self.variable(from:))
    }

    public func variable(_ key: String) async throws -> VariableRecord? {
        try await rows("SELECT key, val, description FROM variable WHERE key = \(key)").first.map(Self.variable(from:))
    }

    /// Blocks the calling thread on the query (see `readXCom`).
    public func readVariable(_ key: String) throws -> VariableRecord? {
        try blocking { try await self.variable(key) }
    }

    static func variable(from row: PostgresRow) throws -> VariableRecord {
        let (key, value, description) = try row.decode((String, String, String?).self)
        return VariableRecord(key: key, value: value, description: description)
    }

    public func saveVariable(_ v: VariableRecord) async throws {
        try await execute(
            """
            INSERT INTO variable(key, val, description) VALUES (\(v.key), \(v.value), \(v.description))
            ON CONFLICT (key) DO UPDATE SET val = excluded.val, description = excluded.description
            """)
    }

    public func deleteVariable(_ key: String) async throws -> Bool {
        try await !rows("DELETE FROM variable WHERE key = \(key) RETURNING 1").isEmpty
    }

    static let connectionColumns = "conn_id, conn_type, description, host, schema, login, password, port, extra"

    static func connection(from row: PostgresRow) throws -> ConnectionRecord {
        let (id, type, description, host, schema, login, password, port, extra) = try row.decode(
            (String, String, String?, String?, String?, String?, String?, Int?, String?).self)
        return ConnectionRecord(
            connectionId: id, connType: type, description: description, host: host, schema: schema, login: login,
            password: password, port: port, extra: extra)
    }

    public func connections() async throws -> [ConnectionRecord] {
        try await rows("SELECT \(unescaped: Self.connectionColumns) FROM connection ORDER BY conn_id").map(Self.connection(from:))
    }

    public func connection(_ id: String) async throws -> ConnectionRecord? {
        try await rows("SELECT \(unescaped: Self.connectionColumns) FROM connection WHERE conn_id = \(id)").first.map(
            Self.connection(from:))
    }

    /// Blocks the calling thread on the query (see `readXCom`).
    public func readConnection(_ id: String) throws -> ConnectionRecord? {
        try blocking { try await self.connection(id) }
    }

    public func saveConnection(_ c: ConnectionRecord) async throws {
        try await execute(
            """
            INSERT INTO connection(conn_id, conn_type, description, host, schema, login, password, port, extra)
            VALUES (\(c.connectionId), \(c.connType), \(c.description), \(c.host), \(c.schema), \(c.login), \(c.password),
                \(c.port), \(c.extra))
            ON CONFLICT (conn_id) DO UPDATE SET conn_type = excluded.conn_type, description = excluded.description,
                host = excluded.host, schema = excluded.schema, login = excluded.login, password = excluded.password,
                port = excluded.port, extra = excluded.extra
            """)
    }

    public func deleteConnection(_ id: String) async throws -> Bool {
        try await !rows("DELETE FROM connection WHERE conn_id = \(id) RETURNING 1").isEmpty
    }

    public func deletePool(_ name: String) async throws -> Bool {
        try await !rows("DELETE FROM slot_pool WHERE pool = \(name) RETURNING 1").isEmpty
    }

    public func setRunNote(_ key: RunKey, note: String?) async throws {
        let updated = try await rows(
            "UPDATE dag_run SET note = \(note) WHERE dag_id = \(key.dagId) AND run_id = \(key.runId) RETURNING 1")
        if updated.isEmpty { throw StoreError.unknownRun(key) }
    }

    public func xcoms(run: RunKey, taskId: String?) async throws -> [XComRecord] {
        var sql = SQLBuilder()
        sql += """
            SELECT x.task_id, x.key, x.value, COALESCE(t.end_date, t.start_date, r.queued_at, 0)
            FROM xcom x JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id
            LEFT JOIN task_instance t ON t.dag_id = x.dag_id AND t.run_id = x.run_id AND t.task_id = x.task_id
            WHERE x.dag_id = \(sql.bind(run.dagId)) AND x.run_id = \(sql.bind(run.runId))
            """
        if let taskId { sql += " AND x.task_id = \(sql.bind(taskId))" }
        sql += " ORDER BY x.task_id, x.key"
        return try await rows(sql.query).map { row in
            let (taskId, key, value, at) = try row.decode((String, String, ByteBuffer, Double).self)
            return XComRecord(dagId: run.dagId, runId: run.runId, taskId: taskId, key: key, value: value.bytes, timestamp: at.date)
        }
    }

    /// The WAL insert position, `pg_current_wal_insert_lsn()`, as an integer: it moves with every
    /// write to the cluster, by any process, without a counter row every commit would contend on.
    /// Writes to other databases of the cluster (and checkpoints, vacuum) move it too, so a page
    /// may look again for nothing; it never stays still across a commit of this database.
    public func changeStamp() async throws -> Int64 {
        try await rows("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint").first?.decode(Int64.self) ?? 0
    }

    public func gridCounts(dagId: String, runIds: [String], within group: String?, taskLimit: Int) async throws -> GridCounts {
        guard !runIds.isEmpty else { return GridCounts(counts: [], moreTasks: false) }
        var groups = SQLBuilder()
        groups += "SELECT run_id, group_id, state, count(*) FROM task_instance WHERE dag_id = \(groups.bind(dagId))"
        groups += " AND run_id = ANY(\(groups.bind(runIds)))"
        if let group {
            groups += " AND group_id >= \(groups.bind(group + ".")) AND group_id < \(groups.bind(group + "/"))"
        } else {
            groups += " AND group_id IS NOT NULL"
        }
        groups += " GROUP BY 1, 2, 3"
        let grouped = try await rows(groups.query).map { row in
            let (runId, group, state, count) = try row.decode((String, String, String, Int).self)
            return (runId: runId, group: group, state: TaskState(rawValue: state) ?? .none, count: count)
        }
        var counts = GridCounts.rolledUp(grouped, within: group)
        // The scope's own tasks: the first `taskLimit` ids (one more to know whether others exist).
        var tasks = SQLBuilder()
        let dag = tasks.bind(dagId), runs = tasks.bind(runIds), scope = tasks.bind(group)
        tasks += """
            SELECT run_id, task_id, state FROM task_instance
            WHERE dag_id = \(dag) AND run_id = ANY(\(runs)) AND group_id IS NOT DISTINCT FROM \(scope)::text AND task_id IN (
                SELECT DISTINCT task_id FROM task_instance
                WHERE dag_id = \(dag) AND run_id = ANY(\(runs)) AND group_id IS NOT DISTINCT FROM \(scope)::text
                ORDER BY task_id LIMIT \(tasks.bind(taskLimit + 1)))
            """
        var ids: Set<String> = []
        var cells: [GridCount] = []
        for row in try await rows(tasks.query) {
            let (runId, taskId, state) = try row.decode((String, String, String).self)
            ids.insert(taskId)
            cells.append(GridCount(runId: runId, rowId: taskId, isGroup: false, state: TaskState(rawValue: state) ?? .none, count: 1))
        }
        var more = false
        if ids.count > taskLimit, let last = ids.max() {
            more = true
            cells.removeAll { $0.rowId == last }
        }
        counts += cells
        return GridCounts(counts: counts, moreTasks: more)
    }
}
