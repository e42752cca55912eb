import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import UpdraftCore
import UpdraftStore

/// The state store in a PostgreSQL database (PostgresNIO's pool), for schedulers and workers on
/// several hosts sharing one database. Same tables and semantics as `SQLiteStateStore`.
///
/// - `commit(_:)` is one transaction: the fence first (`SELECT … FROM run_lease … FOR SHARE`, so a
///   takeover waits for the commit, and a commit after a takeover sees the new token), then one
///   `INSERT … SELECT * FROM UNNEST(…) ON CONFLICT …` per table.
/// - Leases are taken under the run's `run_fence` row locked `FOR UPDATE`: of two schedulers racing
///   for a run exactly one wins. `isAlive` is asked only about owners on this host (`localHost`);
///   an owner on another host loses its run only when its heartbeat expires.
/// - Outbox claims take rows `FOR UPDATE SKIP LOCKED`.
///
/// ```swift
/// let store = try await PostgresStateStore.connect(url: "postgresql://updraft@db/updraft?sslmode=verify-full")
/// try await store.commit(batch)
/// await store.close()
/// ```
public final class PostgresStateStore: StateStore, XComReading, SettingsReading {
    let client: PostgresClient
    /// Runs the client's pool; cancelled by `close()` (or when the store goes away).
    let runner: Task<Void, Never>
    /// Where the pool's tasks and the synchronous readers' queries run: not the cooperative pool.
    let executor: StoreTaskExecutor
    let logger: Logger
    /// Where the store is (its `description` hides the password).
    public let url: PostgresURL
    /// The host name owners on this machine carry; `isAlive` is consulted only for them.
    public let localHost: String

    init(url: PostgresURL, configuration: PostgresClient.Configuration, localHost: String, logger: Logger) {
        self.url = url
        self.localHost = localHost
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: RunRaceFilter.wrapping(logger))
        self.client = client
        let executor = StoreTaskExecutor(label: "updraft.postgres.pool")
        self.executor = executor
        runner = Task(executorPreference: executor) { await client.run() }
    }

    deinit { runner.cancel() }

    /// Connects to the database of `url` (`postgresql://` or `postgres://`), applies the pending
    /// migrations and returns the store. Errors name the server, never the password.
    ///
    /// - Parameters:
    ///   - maximumConnections: The pool's size.
    ///   - localHost: The host name this process's `ProcessIdentity` carries.
    public static func connect(
        url: String, logger: Logger = Logger(label: "updraft.postgres"), maximumConnections: Int = 10,
        localHost: String = ProcessInfo.processInfo.hostName
    ) async throws -> PostgresStateStore {
        try await connect(
            url: try PostgresURL(url), logger: logger, maximumConnections: maximumConnections, localHost: localHost)
    }

    /// Connects to a parsed URL (see `connect(url:logger:maximumConnections:localHost:)`).
    public static func connect(
        url: PostgresURL, logger: Logger = Logger(label: "updraft.postgres"), maximumConnections: Int = 10,
        localHost: String = ProcessInfo.processInfo.hostName
    ) async throws -> PostgresStateStore {
        // One connection first: an unreachable server, a refused login or missing TLS is reported
        // at once (the pool would retry it quietly), and the migrations run on it.
        try await migrate(url: url, logger: logger)
        let configuration = try url.clientConfiguration(maximumConnections: maximumConnections)
        return PostgresStateStore(url: url, configuration: configuration, localHost: localHost, logger: logger)
    }

    /// Stops the pool (its connections close). The store must not be used afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    // MARK: Transactions and errors

    /// Runs `body` in one transaction (`BEGIN` can carry an isolation level), retried up to three
    /// times on a deadlock or serialization failure; errors become `StoreError`.
    func transaction<T: Sendable>(
        _ begin: String = "BEGIN", _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
                    do {
                        let result = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return result
                    } catch {
                        // Best effort: a broken connection is closed by the pool anyway.
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 4 && Self.isRetryable(error) {
                logger.debug("retrying a transaction after \(error.serverInfo?[.sqlState] ?? "?")")
            } catch {
                throw mapped(error)
            }
        }
    }

    /// Deadlock detected or serialization failure: the transaction can simply run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// The rows of one query outside a transaction.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do { return try await client.query(query, logger: logger).collect() } catch { throw mapped(error) }
    }

    /// Runs a statement outside an explicit transaction.
    func execute(_ query: PostgresQuery) async throws {
        do { try await client.query(query, logger: logger) } catch { throw mapped(error) }
    }

    func mapped(_ error: any Error) -> any Error {
        Self.mapped(error, url: url)
    }

    /// A `StoreError` naming what failed: the server's message and the SQL, or the server that
    /// cannot be reached. PostgresNIO's own description hides everything, so it is not used; no
    /// text here comes from the URL's password.
    static func mapped(_ error: any Error, url: PostgresURL) -> any Error {
        if error is StoreError || error is PostgresURLError || error is CancellationError { return error }
        guard let error = error as? PSQLError else {
            return StoreError.database("PostgreSQL at \(url.server): \(error)")
        }
        switch error.code {
        case .server:
            let info = error.serverInfo
            var message = info?[.message] ?? "server error"
            if let state = info?[.sqlState] { message += " (SQLSTATE \(state))" }
            if let detail = info?[.detail] { message += "; \(detail)" }
            if let sql = error.query?.sql { message += " (SQL: \(sql.split(separator: "\n").joined(separator: " ")))" }
            return StoreError.database(message)
        case .sslUnsupported:
            return StoreError.database(
                "the PostgreSQL server at \(url.server) does not accept TLS, which sslmode=\(url.sslMode.rawValue) requires"
                    + " (use sslmode=disable or prefer for a server without TLS)")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .failedToAddSSLHandler:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            return StoreError.database("cannot talk to the PostgreSQL server at \(url.server) (\(error.code))\(cause)")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return StoreError.database(
                "the PostgreSQL server at \(url.server) refused to authenticate user '\(url.user)' (\(error.code))")
        default:
            return StoreError.database("PostgreSQL at \(url.server): \(error.code)")
        }
    }

    /// Runs `body` on a task of the store's executor, blocking the calling thread until it ends.
    /// For the synchronous readers (`readXCom`, `readVariable`, `readConnection`), which task
    /// bodies call on their own threads. Called from Swift's cooperative pool they still work (the
    /// query needs no pool thread) but hold a pool thread while the query runs: prefer the
    /// `async` reads there.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let semaphore = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<T, any Error>?>(nil)
        let task = Task(executorPreference: executor) {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            semaphore.signal()
        }
        semaphore.wait()
        _ = task
        return try outcome.withLock { $0! }.get()
    }
}
