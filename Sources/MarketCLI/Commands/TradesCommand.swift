import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft trades`: List the trading ledger's orders and fills.
struct TradesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trades",
        abstract: "List the trading ledger's orders and fills.",
        subcommands: [TradesListCommand.self]
    )
}
