/// A connection as a task sees it (`ctx.connection("warehouse")`): how to reach an external system.
public struct ConnectionInfo: Sendable, Hashable {
    public var connectionId: String
    /// `http`, `postgres`, `sqlite`, …
    public var connType: String
    public var host: String?
    /// The database or path part (Airflow's name for it).
    public var schema: String?
    public var login: String?
    public var password: String?
    public var port: Int?
    /// Free text, usually a JSON object of further settings.
    public var extra: String?

    public init(
        connectionId: String, connType: String, host: String? = nil, schema: String? = nil, login: String? = nil,
        password: String? = nil, port: Int? = nil, extra: String? = nil
    ) {
        self.connectionId = connectionId; self.connType = connType; self.host = host; self.schema = schema
        self.login = login; self.password = password; self.port = port; self.extra = extra
    }
}

/// Synchronous reads of variables and connections for `ctx.variable(_:)` and `ctx.connection(_:)`;
/// a `TaskEnvironment` that serves them conforms too (the runtime's does, in-process and in workers).
public protocol TaskSettingsReading: Sendable {
    /// The variable's value, nil when there is none; throws when the store cannot be read.
    func variable(_ key: String) throws -> String?
    /// The connection, nil when there is none; throws when the store cannot be read.
    func connection(_ id: String) throws -> ConnectionInfo?
}

/// Thrown by `ctx.variable(_:)` and `ctx.connection(_:)` when the task's environment has no store
/// to read them from.
public struct TaskSettingsUnavailable: Error, CustomStringConvertible, Sendable {
    /// What the task asked for, e.g. `variable 'api_url'`.
    public var what: String
    public init(_ what: String) { self.what = what }
    public var description: String { "cannot read \(what): this task's environment serves no variables or connections" }
}

extension TaskContext {
    /// The value of the variable `key` (set with `updraft variables set` or the REST API); nil
    /// when there is none. A store that cannot be read throws, which fails the try with that error.
    ///
    /// ```swift
    /// let url = try ctx.variable("warehouse_url") ?? "sqlite://local.db"
    /// ```
    public func variable(_ key: String) throws -> String? {
        guard let reader = environment as? any TaskSettingsReading else {
            throw TaskSettingsUnavailable("variable '\(key)'")
        }
        return try reader.variable(key)
    }

    /// The connection `id` (added with `updraft connections add` or the REST API); nil when there
    /// is none. A store that cannot be read throws, which fails the try with that error.
    ///
    /// ```swift
    /// guard let db = try ctx.connection("warehouse") else { throw TaskFailure("no connection 'warehouse'") }
    /// ```
    public func connection(_ id: String) throws -> ConnectionInfo? {
        guard let reader = environment as? any TaskSettingsReading else {
            throw TaskSettingsUnavailable("connection '\(id)'")
        }
        return try reader.connection(id)
    }
}
