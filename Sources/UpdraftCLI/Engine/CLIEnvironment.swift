import ArgumentParser
import Foundation
import UpdraftConfig
import UpdraftRuntime

/// What the binary injects into the CLI: its DAG registry.
public enum CLIEnvironment {
    /// The registry of the running binary (set by `UpdraftCommand.main(registry:)`).
    @TaskLocal public static var registry: DAGRegistry?
}

/// Options every engine command shares.
struct EngineOptions: ParsableArguments {
    @OptionGroup var location: HomeOptions

    /// The engine over `<home>/updraft.db` with the injected registry. `state.durability: full`
    /// makes every commit durable across power loss too (default: across process crashes).
    func engine() async throws -> Engine {
        guard let registry = CLIEnvironment.registry else {
            throw CLIError.usage("no DAG registry: call UpdraftCommand.main(registry:) from the binary's main")
        }
        let configuration = try location.configuration()
        return try await Engine.open(home: EngineHome(configuration.homeURL.path), registry: registry,
                               durableAcrossPowerLoss: configuration.string("state.durability") == "full")
    }
}

/// Options of commands that execute runs.
struct ExecutionOptions: ParsableArguments {
    @Option(name: .long, help: "Worker processes (default: the configuration's parallelism, else the core count).")
    var parallelism: Int?

    func validate() throws {
        if let parallelism, parallelism < 1 { throw ValidationError("--parallelism must be at least 1") }
    }

    /// A pool of `--parallelism` workers, else the configuration's `parallelism` (read from the
    /// environment the engine options exported).
    func executor() async throws -> WorkerPoolExecutor {
        let configured = try? ConfigLoader.load(home: nil, configFile: nil, environment: ProcessInfo.processInfo.environment)
        return try await WorkerPoolExecutor(size: parallelism ?? configured?.integer("parallelism")
                                                ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// A CLI failure with its exit code: 1 the thing ran and failed, 2 bad usage or input.
enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case failed(String)

    var description: String {
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
    /// Runs the CLI with `registry` and exits with 0 (success), 1 (ran and failed) or 2 (bad usage or input).
    public static func main(registry: DAGRegistry, arguments: [String]? = nil) async -> Never {
        let code = await CLIEnvironment.$registry.withValue(registry) { await run(arguments: arguments) }
        Foundation.exit(code)
    }

    /// Parses and runs one command line; returns the exit code instead of exiting.
    public static func run(arguments: [String]?) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() }
            else { try command.run() }
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
