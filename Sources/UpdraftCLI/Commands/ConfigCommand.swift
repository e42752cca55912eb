import ArgumentParser
import Foundation
import UpdraftConfig

/// `updraft config`: show the effective configuration.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration.",
        subcommands: [Show.self, Example.self]
    )

    /// `updraft config show`: every key, its value and where it came from.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every key's effective value and where it came from.")

        @OptionGroup var options: HomeOptions
        @Flag(help: "Print a JSON array of objects: key, value, source, env.") var json = false

        func run() async throws {
            let config = try options.configuration()
            let settings = config.settings
            if json {
                let rows: [[String: String]] = settings.map {
                    [
                        "key": $0.key.path, "value": $0.displayValue, "source": $0.source.description,
                        "env": $0.key.environmentVariable,
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("# file: \(config.file ?? "none (defaults, environment and flags only)")")
            let width = settings.map(\.key.path.count).max() ?? 0
            let valueWidth = min(48, settings.map(\.displayValue.count).max() ?? 0)
            for setting in settings {
                let key = setting.key.path.padding(toLength: width, withPad: " ", startingAt: 0)
                let value = setting.displayValue.padding(
                    toLength: max(valueWidth, setting.displayValue.count),
                    withPad: " ", startingAt: 0)
                print("\(key)  \(value)  (\(setting.source))")
            }
        }
    }

    /// `updraft config example`: the commented example file.
    struct Example: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a commented example configuration file with every key and default.")

        func run() async throws {
            print((CLIEnvironment.application?.catalog ?? .engine).exampleYAML(), terminator: "")
        }
    }
}
