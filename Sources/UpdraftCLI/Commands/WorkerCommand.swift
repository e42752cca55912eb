import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UpdraftRuntime
import UpdraftStore

/// `updraft worker [--queues a,b] [--concurrency N]`: serve queued tries from the state store.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker: claim queued tries of its queues from the state store and run them until SIGTERM or SIGINT.",
        discussion: """
            Any host with the same binary and DAGs can run one against a shared PostgreSQL state store \
            (state.url). Each try runs in a worker process of this host; its log is shipped to the store.
            """
    )

    @OptionGroup var engine: EngineOptions
    @Option(help: "Queues to serve, comma-separated (default: default).") var queues = "default"
    @Option(help: "Tries run at once (default: the configuration's parallelism).") var concurrency: Int?

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if QueueList.parse(queues).isEmpty { throw ValidationError("--queues names no queue") }
    }

    func run() async throws {
        let engine = try await engine.engine()
        let configuration = try self.engine.location.configuration()
        let size = concurrency ?? configuration[.parallelism]
        var logger = Logger(label: "updraft.worker")
        logger.logLevel = .info
        let worker = WorkerService(
            engine: engine, queues: QueueList.parse(queues), concurrency: size,
            version: CLIEnvironment.application?.version ?? EngineVersion.current, logger: logger
        ) {
            try await WorkerPoolExecutor(
                size: size, startup: try configuration.encoded(), idleTimeout: configuration.workerIdleTimeout)
        }
        let group = ServiceGroup(
            configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Comma-separated queue names (`--queues`).
enum QueueList {
    static func parse(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// `updraft workers`: the workers registered in the state store.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers", abstract: "List the workers that serve queued tries.", subcommands: [ProcessesList.self])
}

/// `updraft schedulers`: the schedulers registered in the state store.
struct SchedulersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedulers", abstract: "List the schedulers that share this state store.",
        subcommands: [SchedulersList.self])
}

struct SchedulersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List schedulers: host, queues served, slots, runs owned, last heartbeat.")
    @OptionGroup var list: ProcessListOptions
    func run() async throws { try await list.print(kind: "scheduler") }
}

/// `updraft workers list`.
struct ProcessesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List workers: host, queues, slots, running tries, last heartbeat.")
    @OptionGroup var list: ProcessListOptions
    func run() async throws { try await list.print(kind: "worker") }
}

/// What `workers list` and `schedulers list` share.
struct ProcessListOptions: ParsableArguments {
    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func print(kind: String) async throws {
        let engine = try await engine.engine()
        let now = engine.clock.now
        let rows = try await engine.store.workers().filter { $0.kind == kind }
        func state(_ record: WorkerRecord) -> String {
            now.timeIntervalSince(record.heartbeatAt) <= engine.leaseTimeout ? "alive" : "stale"
        }
        if json {
            JSONOutput.print(
                rows.map { record in
                    .object([
                        "id": .string(record.id), "host": .string(record.host), "pid": .number(Double(record.pid)),
                        "queues": .array(record.queues.map(JSONValue.string)), "slots": .number(Double(record.slots)),
                        "running": .number(Double(record.running)), "version": .string(record.version),
                        "started_at": JSONOutput.date(record.startedAt), "latest_heartbeat": JSONOutput.date(record.heartbeatAt),
                        "state": .string(state(record)),
                    ])
                })
            return
        }
        var table = Columns(["HOST", "PID", "QUEUES", "SLOTS", kind == "worker" ? "RUNNING" : "RUNS", "VERSION", "HEARTBEAT", "STATE"])
        for record in rows {
            table.add([
                record.host, "\(record.pid)", record.queues.isEmpty ? "-" : record.queues.joined(separator: ","), "\(record.slots)",
                "\(record.running)", record.version, "\(Int(now.timeIntervalSince(record.heartbeatAt).rounded()))s ago",
                state(record),
            ])
        }
        Swift.print(rows.isEmpty ? "no \(kind)s registered" : table.text)
    }
}
