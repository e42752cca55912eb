import ArgumentParser
import Foundation
import UpdraftRuntime
import UpdraftStore

/// `updraft db migrate`.
struct DBMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the state store's schema up to date (forward-only migrations, applied under a lock).",
        discussion: "Every process also applies missing migrations when it opens the store; this command does only that and reports it.")

    @OptionGroup var engine: EngineOptions

    func run() async throws {
        let store = try await engine.openStore()
        guard let maintained = store as? any StoreMaintenance else { throw CLIError.failed("this store has no migrations to apply") }
        let applied = try await maintained.migrate()
        let pending = try await maintained.pendingMigrations()
        guard pending.isEmpty else { throw CLIError.failed("\(maintained.location): still missing \(pending.joined(separator: ", "))") }
        print(
            applied.isEmpty
                ? "\(maintained.location): the schema is up to date"
                : "\(maintained.location): applied \(applied.joined(separator: ", "))")
    }
}

/// `updraft db copy --to URL [--from FILE]`.
struct DBCopy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a home's SQLite state (users, variables and connections included) into an empty store at URL.",
        discussion: """
            The source is first backed up (a consistent copy even while a scheduler runs), then copied in one \
            transaction. The target's password comes from state.password (or UPDRAFT_STATE_PASSWORD). Then set \
            state.url to URL on every host.
            """)

    @OptionGroup var engine: EngineOptions
    @Option(help: "The target store's URL (postgresql://user@host:5432/db?sslmode=verify-full).") var to: String
    @Option(help: "A SQLite state file to copy (default: this home's updraft.db).") var from: String?

    func run() async throws {
        let configuration = try engine.location.configuration()
        let home = configuration.homeURL.path
        let sourcePath = from ?? (home as NSString).appendingPathComponent("updraft.db")
        guard FileManager.default.fileExists(atPath: sourcePath) else { throw CLIError.usage("no SQLite state at \(sourcePath)") }
        let target = try await StoreBackend.open(
            to, password: configuration[.statePassword].revealed.nilIfEmpty, home: home,
            backends: CLIEnvironment.application?.stores ?? [])
        guard let maintained = target as? any StoreMaintenance else { throw CLIError.failed("the store at --to cannot import state") }
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-copy-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: snapshot + suffix) } }
        _ = try await SQLiteStateStore(path: sourcePath).exportSQLite(to: snapshot)
        let counts = try await maintained.importSQLite(path: snapshot)
        print("copied \(sourcePath) into \(maintained.location):")
        print(DBBackup.summary(counts))
    }
}

/// `updraft db backup FILE`.
struct DBBackup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the state, taken while it is in use, as a SQLite state file.",
        discussion: "Restore it by pointing state.url at it (SQLite), or with `updraft db copy --from FILE --to URL`.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The file to write (it must not exist).") var file: String

    func run() async throws {
        let store = try await engine.openStore()
        guard let maintained = store as? any StoreMaintenance else { throw CLIError.failed("this store cannot be backed up") }
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        let counts = try await maintained.exportSQLite(to: path)
        print("backed up \(maintained.location) to \(path):")
        print(Self.summary(counts))
    }

    /// `table rows` lines for the tables that hold rows, by name.
    static func summary(_ counts: [String: Int]) -> String {
        var table = Columns(["TABLE", "ROWS"])
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) where count > 0 { table.add([name, "\(count)"]) }
        return table.text
    }
}

/// `updraft db check`.
struct DBCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the state store and the processes that share it; print their health as JSON (exit 1 when the store fails).")

    @OptionGroup var engine: EngineOptions

    func run() async throws {
        let engine = try await engine.engine()
        let health = await engine.health()
        let location = (engine.store as? any StoreMaintenance)?.location ?? "\(type(of: engine.store))"
        JSONOutput.print(
            .object([
                "metadatabase": .object([
                    "status": .string(health.databaseHealthy ? "healthy" : "unhealthy"), "location": .string(location),
                    "pending_migrations": .array(health.pendingMigrations.map(JSONValue.string)),
                    "error": health.databaseError.map(JSONValue.string) ?? .null,
                ]),
                "scheduler": .object([
                    "status": .string(health.schedulerHealthy ? "healthy" : "unhealthy"),
                    "latest_scheduler_heartbeat": JSONOutput.date(health.latestSchedulerHeartbeat),
                ]),
                "workers": .object(["alive": .number(Double(health.aliveWorkers)), "stale": .number(Double(health.staleWorkers))]),
            ]))
        if !health.databaseHealthy { throw ExitCode(1) }
    }
}
