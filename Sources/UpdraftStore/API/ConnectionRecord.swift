import UpdraftCore

/// How to reach an external system, which tasks read with `ctx.connection(_:)` (Airflow's
/// `connection` row).
///
/// The password is stored as given; every output masks it.
///
/// ```swift
/// try await store.saveConnection(
///     ConnectionRecord(connectionId: "warehouse", connType: "postgres", host: "db", port: 5432, login: "etl"))
/// ```
public struct ConnectionRecord: Sendable, Hashable {
    /// Unique; the key of the record (Airflow's `conn_id`).
    public var connectionId: String
    /// `http`, `postgres`, `sqlite`, …
    public var connType: String
    public var description: String?
    public var host: String?
    /// The database or path part (Airflow's name for it).
    public var schema: String?
    public var login: String?
    public var password: String?
    public var port: Int?
    /// Free text, usually a JSON object of further settings.
    public var extra: String?

    public init(
        connectionId: String, connType: String, description: String? = nil, host: String? = nil,
        schema: String? = nil, login: String? = nil, password: String? = nil, port: Int? = nil,
        extra: String? = nil
    ) {
        self.connectionId = connectionId; self.connType = connType; self.description = description
        self.host = host; self.schema = schema; self.login = login; self.password = password; self.port = port
        self.extra = extra
    }

    /// What a task sees of the connection.
    public var info: ConnectionInfo {
        ConnectionInfo(
            connectionId: connectionId, connType: connType, host: host, schema: schema, login: login,
            password: password, port: port, extra: extra)
    }
}
