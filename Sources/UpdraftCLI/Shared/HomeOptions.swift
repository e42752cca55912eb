import ArgumentParser
import Foundation
import UpdraftConfig

/// `--home` and `--config`, shared by every command: where state lives and which configuration
/// applies. The home is the flag, else `$UPDRAFT_HOME`, else the configuration file's `home`,
/// else `./runs`.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Home folder: state, logs, market data, models (default: $UPDRAFT_HOME, else ./runs).", valueName: "dir"))
    var home: String?

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (default: $UPDRAFT_CONFIG, else <home>/updraft.yaml when present).", valueName: "file"))
    var config: String?

    /// The effective configuration (its `home_permissions` applied to this process). A bad file or
    /// value is a usage error (exit 2).
    /// (The binary's `main` exports `--home` and `--config` to its environment before anything
    /// else, see ``UpdraftCommand/exportLocation(from:)``, so workers and DAG code agree.)
    func configuration() throws -> UpdraftConfiguration {
        let configuration: UpdraftConfiguration
        do {
            configuration = try ConfigLoader.load(home: home, configFile: config,
                                                  environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError.usage(error.description)
        }
        HomePermissions.apply(configuration)
        return configuration
    }

    /// The home folder in effect, as an absolute path.
    func directory() throws -> String { try configuration().homeURL.path }
}

extension UpdraftCommand {
    /// Exports `--home DIR` and `--config FILE` from a command line to this process's environment
    /// (`UPDRAFT_HOME`, `UPDRAFT_CONFIG`, as absolute paths). Call it first in `main`, before the
    /// DAG registry is built and before any worker is spawned: DAGs read their schedules from the
    /// configuration, and workers inherit the environment, so every part of the process tree
    /// resolves the same configuration.
    public static func exportLocation(from arguments: [String]) {
        let names = ["--home": "UPDRAFT_HOME", "--config": "UPDRAFT_CONFIG"]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { break }
            for (flag, variable) in names {
                var value: String?
                if argument == flag, index + 1 < arguments.endIndex { value = arguments[index + 1] }
                else if argument.hasPrefix(flag + "=") { value = String(argument.dropFirst(flag.count + 1)) }
                if let value, !value.isEmpty {
                    setenv(variable, URL(fileURLWithPath: value).standardizedFileURL.path, 1)
                }
            }
            index += 1
        }
    }
}
