import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft alerts`: List the market alerts that fired.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the market alerts that fired.",
        subcommands: [AlertsListCommand.self]
    )
}
