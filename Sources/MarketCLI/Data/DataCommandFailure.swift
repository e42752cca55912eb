import ArgumentParser
import Foundation
import UpdraftCLI

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
