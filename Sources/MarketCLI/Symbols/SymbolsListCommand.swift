import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// `updraft symbols list`: every pair of the universe and why it is (not) tracked.
struct SymbolsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the universe's pairs and whether each is tracked."
    )

    @OptionGroup var options: HomeOptions

    @Flag(help: "Only the pairs the pipeline fetches.")
    var tracked = false

    @Flag(help: "Print a JSON array of {pair, id, name, rank, tracked, reason, origin, in_top, untracked_at, manual}.")
    var json = false

    func run() async throws {
        try runDataCommand {
            let entries = try options.openWarehouse().universe().filter { !tracked || $0.isTracked }
            if json {
                print(SymbolsFormat.json(entries))
                return
            }
            let header = ["PAIR", "ID", "RANK", "TRACKED", "WHY"]
            let rows = entries.map {
                [$0.pair.description, $0.id, $0.rank.map(String.init) ?? "-", $0.isTracked ? "yes" : "no", $0.reason]
            }
            SymbolsFormat.table(header: header, rows: rows)
        }
    }
}

/// How the `symbols` commands print.
enum SymbolsFormat {
    static func table(header: [String], rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        for row in [header] + rows {
            print(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    static func json(_ entries: [UniverseEntry]) -> String {
        struct Entry: Encodable {
            var pair, id, name, reason, origin: String
            var rank: Int?
            var tracked, in_top: Bool
            var untracked_at: String?
            var manual: String?
        }
        let list = entries.map {
            Entry(
                pair: $0.pair.description, id: $0.id, name: $0.name, reason: $0.reason, origin: $0.origin.rawValue, rank: $0.rank,
                tracked: $0.isTracked, in_top: $0.inTop,
                untracked_at: $0.untrackedAt.map { UTCCalendar.iso8601(microseconds: $0.microsecondsSinceEpoch) },
                manual: $0.manual?.rawValue)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// Parses a `PAIR` argument (`BTC/USDT`), failing with exit code 2 naming it.
    static func pair(_ text: String) throws -> CanonicalPair {
        do { return try CanonicalPair(parsing: text.uppercased()) } catch { throw DataCommandFailure.badInput("\(error)") }
    }

    /// Runs a universe change, turning its refusal into exit code 2 and other failures into 1.
    static func change(_ body: () throws -> UniverseEntry?) throws {
        try runDataCommand {
            let entry: UniverseEntry?
            do { entry = try body() } catch let failure as DataCommandFailure { throw failure } catch let refusal as UniverseError {
                throw DataCommandFailure.badInput(refusal.description)
            } catch { throw DataCommandFailure.failed("\(error)") }
            if let entry { print("\(entry.pair): \(entry.isTracked ? "tracked" : "not tracked") (\(entry.reason))") }
        }
    }
}

extension Date {
    var microsecondsSinceEpoch: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
}
