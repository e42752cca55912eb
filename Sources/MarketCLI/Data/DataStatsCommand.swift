import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// `updraft data stats`: rows and time range per symbol and interval.
struct DataStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show rows and time range per symbol and interval."
    )

    @OptionGroup var options: HomeOptions

    @Flag(help: "Print a JSON array of {symbol, interval, rows, first_open_time, last_open_time} (times ISO 8601 UTC).")
    var json = false

    func run() async throws {
        try runDataCommand {
            let stats: [KlineStats]
            do { stats = try options.openWarehouse().stats() } catch let failure as DataCommandFailure {
                throw failure
            } catch { throw DataCommandFailure.failed("cannot read stats: \(error)") }
            if json {
                print(Self.json(stats))
                return
            }
            let header = ["SYMBOL", "INTERVAL", "ROWS", "FIRST_OPEN_TIME", "LAST_OPEN_TIME"]
            let rows = stats.map {
                [
                    $0.symbol, $0.interval.rawValue, String($0.rows),
                    UTCCalendar.iso8601(microseconds: $0.firstOpenTime),
                    UTCCalendar.iso8601(microseconds: $0.lastOpenTime),
                ]
            }
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
            for row in [header] + rows {
                print(
                    row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
    }

    /// The JSON array of stats objects.
    static func json(_ stats: [KlineStats]) -> String {
        struct Entry: Encodable {
            var symbol: String
            var interval: String
            var rows: Int
            var first_open_time: String
            var last_open_time: String
        }
        let entries = stats.map {
            Entry(
                symbol: $0.symbol, interval: $0.interval.rawValue, rows: $0.rows,
                first_open_time: UTCCalendar.iso8601(microseconds: $0.firstOpenTime),
                last_open_time: UTCCalendar.iso8601(microseconds: $0.lastOpenTime))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(entries)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
