import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft symbols`: List and control which pairs the pipeline fetches.
struct SymbolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbols",
        abstract: "List and control which pairs the pipeline fetches.",
        discussion: """
            get_symbols keeps CoinGecko's top N (universe.coins): a coin that leaves it is untracked \
            with the date, keeps its candles and comes back when it returns. track and untrack beat \
            that rule until auto gives the pair back to it; add and remove handle pairs outside the list.
            """,
        subcommands: [
            SymbolsListCommand.self, SymbolsAddCommand.self, SymbolsRemoveCommand.self, SymbolsTrackCommand.self,
            SymbolsUntrackCommand.self, SymbolsAutoCommand.self,
        ]
    )
}
