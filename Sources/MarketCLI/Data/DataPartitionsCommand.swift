import ArgumentParser
import Foundation
import MarketData
import MarketPipeline
import UpdraftCLI

/// `updraft data partitions`: each symbol × exchange × month of the backfill window and its state.
struct DataPartitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partitions",
        abstract: "Show each partition (symbol, exchange, month) and its state."
    )

    @OptionGroup var options: HomeOptions
    @Option(help: "Only this pair (BTCUSDT); default: every tracked pair.") var symbol: String?
    @Option(help: "Only partitions in this state: missing, loaded, partial or failed.") var state: String?
    @Option(help: "First month of the window (YYYY-MM or YYYY-MM-DD); default: data.history_months back.") var from: String?
    @Flag(help: "Print a JSON array of {exchange, symbol, month, state, days_loaded, days_expected, error}.") var json = false

    func validate() throws {
        if let state, PartitionState.State(rawValue: state) == nil {
            throw ValidationError("--state must be one of \(PartitionState.State.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let from, PartitionBackfill.startDate(from) == nil { throw ValidationError("--from must be YYYY-MM or YYYY-MM-DD, got \(from)") }
    }

    func run() async throws {
        try runDataCommand {
            let states = try DataPartitionsCommand.refresh(options: options, symbol: symbol, from: from)
                .filter { state == nil || $0.state.rawValue == state }
            if json {
                print(Self.json(states))
                return
            }
            let header = ["EXCHANGE", "SYMBOL", "MONTH", "STATE", "DAYS", "ERROR"]
            let rows = states.map {
                [$0.exchange.rawValue, $0.symbol, $0.month, $0.state.rawValue, "\($0.daysLoaded)/\($0.daysExpected)", $0.error ?? ""]
            }
            SymbolsFormat.table(header: header, rows: rows)
        }
    }

    /// Refreshes the partitions of `symbol` (or every tracked pair) on every configured exchange
    /// over the window starting at `from` (or `data.history_months` back).
    static func refresh(options: HomeOptions, symbol: String?, from: String?) throws -> [PartitionState] {
        let configuration = try options.configuration()
        let warehouse = try options.openWarehouse()
        let now = Date()
        let start = from.flatMap(PartitionBackfill.startDate) ?? BackfillWindow.start(end: now, months: configuration[.dataHistoryMonths])
        do {
            let symbols = try symbol.map { [$0.uppercased()] } ?? PartitionBackfill.trackedSymbols(warehouse)
            return try PartitionBackfill.refresh(
                warehouse, symbols: symbols, exchanges: MarketClients.exchanges(configuration), from: start, now: now)
        } catch { throw DataCommandFailure.failed("cannot compute partitions: \(error)") }
    }

    static func json(_ states: [PartitionState]) -> String {
        struct Entry: Encodable {
            var exchange, symbol, month, state: String
            var days_loaded, days_expected: Int
            var error: String?
        }
        let entries = states.map {
            Entry(
                exchange: $0.exchange.rawValue, symbol: $0.symbol, month: $0.month, state: $0.state.rawValue, days_loaded: $0.daysLoaded,
                days_expected: $0.daysExpected, error: $0.error)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(entries)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
