import ArgumentParser
import Foundation
import UpdraftConfig
import UpdraftNotify
import UpdraftRuntime
import UpdraftStore

/// What the binary injects into the CLI: its ``UpdraftApplication`` (DAGs, extensions), for the
/// duration of one command line (``UpdraftApplication/run(arguments:environment:)``).
public enum CLIEnvironment {
    @TaskLocal static var session: CLISession?

    /// The application of the running command line, if any.
    public static var application: UpdraftApplication? { session?.application }

    /// `--home` as given before the subcommand, for commands with a home option of their own.
    public static var leadingHome: String? { session?.leading.home }

    /// The environment the command line was started with (read once at the entry point).
    public static var environment: [String: String] { session?.environment ?? [:] }
}

/// Options every engine command shares.
public struct EngineOptions: ParsableArguments, Sendable {
    @OptionGroup public var location: HomeOptions

    public init() {}

    /// The engine over `<home>/updraft.db` with the application's registry. `state.durability: full`
    /// makes every commit durable across power loss too (default: across process crashes).
    public func engine() async throws -> Engine {
        let configuration = try location.configuration()
        var engine = try await Engine.open(
            home: EngineHome(configuration.homeURL.path), registry: try registry(configuration),
            stateURL: configuration[.stateURL], password: configuration[.statePassword].revealed.nilIfEmpty,
            backends: CLIEnvironment.application?.stores ?? [], durableAcrossPowerLoss: configuration[.stateDurability] == "full",
            leaseTimeout: TimeInterval(configuration[.stateLeaseTimeout]))
        engine.notifications = try NotifyConfig.settings(configuration)
        return engine
    }

    /// The configured state store alone (`state.url`), without syncing DAGs into it.
    public func openStore() async throws -> any StateStore {
        let configuration = try location.configuration()
        return try await StoreBackend.open(
            configuration[.stateURL], password: configuration[.statePassword].revealed.nilIfEmpty,
            home: configuration.homeURL.path, backends: CLIEnvironment.application?.stores ?? [],
            durableAcrossPowerLoss: configuration[.stateDurability] == "full")
    }

    /// What sends the outbox's messages through the configured channels.
    public func delivery(store: any StateStore) throws -> OutboxSender {
        let configuration = try location.configuration()
        return OutboxSender(store: store, channels: try NotifyConfig.channels(configuration), policy: NotifyConfig.policy(configuration))
    }

    /// The application's DAG registry for `configuration` (default: this command's).
    public func registry(_ configuration: UpdraftConfiguration? = nil) throws -> DAGRegistry {
        guard let application = CLIEnvironment.application else {
            throw CLIError.usage("no application: run the CLI through UpdraftApplication.main()")
        }
        return try application.registry(try configuration ?? location.configuration())
    }

    /// This process's resources for this command's configuration (in-process execution).
    public func resources() throws -> Resources {
        let configuration = try location.configuration()
        return CLIEnvironment.application?.resources(configuration) ?? Resources()
    }
}

/// Options of commands that execute runs.
public struct ExecutionOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Worker processes (default: the configuration's parallelism, else the core count).")
    var parallelism: Int?

    public init() {}

    public func validate() throws {
        if let parallelism, parallelism < 1 { throw ValidationError("--parallelism must be at least 1") }
    }

    /// A pool of `--parallelism` workers, else the configuration's `parallelism`. Each worker gets
    /// the configuration this command loaded in its start-up frame.
    func executor() async throws -> WorkerPoolExecutor {
        let session = CLIEnvironment.session
        let configuration =
            try session?.configuration
            ?? HomeOptions().configuration()
        return try await WorkerPoolExecutor(
            size: parallelism ?? configuration[.parallelism],
            startup: try configuration.encoded(), idleTimeout: configuration.workerIdleTimeout)
    }
}

extension UpdraftConfiguration {
    /// `worker_idle_timeout`, or nil for 0 (workers stay; a scheduler keeps its memory).
    var workerIdleTimeout: Duration? {
        let seconds = self[.workerIdleTimeout]
        return seconds > 0 ? .seconds(seconds) : nil
    }
}

/// A CLI failure with its exit code: 1 the thing ran and failed, 2 bad usage or input.
public enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case failed(String)

    public var description: String {
        switch self {
        case .usage(let message), .failed(let message): message
        }
    }

    var exitCode: Int32 {
        switch self {
        case .usage: 2
        case .failed: 1
        }
    }
}

extension UpdraftCommand {
    /// Parses and runs one command line; returns the exit code instead of exiting.
    static func run(arguments: [String]?) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
            return 0
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            return error.exitCode
        } catch let error as ExitCode {
            return error.rawValue
        } catch let error as RuntimeError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            return 2
        } catch let error as ConfError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            return 2
        } catch let error as BackfillError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            return 2
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                print(message)
                return 0
            }
            let isUsage = code == 64 || error is ValidationError
            FileHandle.standardError.write(Data("\(isUsage ? message : "error: \(error)")\n".utf8))
            return isUsage ? 2 : 1
        }
    }
}

extension String {
    /// Nil for the empty string (an unset secret).
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
