import ArgumentParser
import Foundation
import MarketData

/// Where the `data` commands find `market.db`: `--home`, else `UPDRAFT_HOME`, else `./runs`.
struct DataHomeOptions: ParsableArguments {
    @Option(name: .long, help: "Directory holding market.db (default: $UPDRAFT_HOME, else ./runs).")
    var home: String?

    /// The directory in effect.
    var directory: String {
        home ?? ProcessInfo.processInfo.environment["UPDRAFT_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "./runs"
    }

    /// Opens (creating if needed) the warehouse in ``directory``.
    func openWarehouse() throws -> KlineWarehouse {
        do { return try KlineWarehouse(home: directory) } catch {
            throw DataCommandFailure.failed("cannot open \(directory)/market.db: \(error)")
        }
    }
}

/// How a `data` command fails: prints `error: …` to standard error and exits 1 (failed) or
/// 2 (bad usage or input).
enum DataCommandFailure: Error {
    case failed(String)
    case badInput(String)

    /// Prints the message and returns the exit code to throw.
    var exitCode: ExitCode {
        switch self {
        case .failed(let message): printError(message); return ExitCode(1)
        case .badInput(let message): printError(message); return ExitCode(2)
        }
    }
}

/// Writes `error: message` to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
}

/// Runs a command body, turning ``DataCommandFailure`` into its exit code.
func runDataCommand(_ body: () throws -> Void) throws {
    do { try body() } catch let failure as DataCommandFailure { throw failure.exitCode }
}
