import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// `updraft symbols add PAIR`: a pair outside CoinGecko's list, tracked by hand.
struct SymbolsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a pair outside the top N, tracked until removed.")

    @OptionGroup var options: HomeOptions
    @Argument(help: "The pair, e.g. ADA/BTC.") var pair: String

    func run() async throws {
        try SymbolsFormat.change { try options.openWarehouse().addPair(try SymbolsFormat.pair(pair), at: Date()) }
    }
}

/// `updraft symbols remove PAIR`: takes out a pair added by hand; its candles stay.
struct SymbolsRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a pair added by hand; its candles stay.")

    @OptionGroup var options: HomeOptions
    @Argument(help: "The pair, e.g. ADA/BTC.") var pair: String

    func run() async throws {
        try SymbolsFormat.change {
            let parsed = try SymbolsFormat.pair(pair)
            try options.openWarehouse().removePair(parsed)
            print("\(parsed): removed (its candles stay)")
            return nil
        }
    }
}

/// `updraft symbols track PAIR`: fetch it whatever the top N says.
struct SymbolsTrackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "track", abstract: "Fetch a pair whatever the top N says, until auto.")

    @OptionGroup var options: HomeOptions
    @Argument(help: "The pair, e.g. BTC/USDT.") var pair: String

    func run() async throws {
        try SymbolsFormat.change { try options.openWarehouse().setManual(.track, for: try SymbolsFormat.pair(pair), at: Date()) }
    }
}

/// `updraft symbols untrack PAIR`: stop fetching it whatever the top N says; its candles stay.
struct SymbolsUntrackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untrack", abstract: "Stop fetching a pair whatever the top N says, until auto.")

    @OptionGroup var options: HomeOptions
    @Argument(help: "The pair, e.g. BTC/USDT.") var pair: String

    func run() async throws {
        try SymbolsFormat.change { try options.openWarehouse().setManual(.untrack, for: try SymbolsFormat.pair(pair), at: Date()) }
    }
}

/// `updraft symbols auto PAIR`: undoes track or untrack; the top N decides again.
struct SymbolsAutoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto", abstract: "Undo track or untrack: the top N decides again.")

    @OptionGroup var options: HomeOptions
    @Argument(help: "The pair, e.g. BTC/USDT.") var pair: String

    func run() async throws {
        try SymbolsFormat.change { try options.openWarehouse().setManual(nil, for: try SymbolsFormat.pair(pair), at: Date()) }
    }
}
