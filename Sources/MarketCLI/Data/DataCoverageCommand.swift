import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// `updraft data coverage [--as-of DATE]`: what the warehouse knew on a date, from the load ledger.
struct DataCoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Show the candles known on a date and the loads that recorded them."
    )

    @OptionGroup var options: HomeOptions
    @Option(
        name: .customLong("as-of"),
        help: "What was known then: a date (its end, UTC) or a date-time (default: now).") var asOf: String?
    @Option(help: "Only this pair (BTCUSDT).") var symbol: String?
    @Option(help: "Only this exchange (binance, kraken, kucoin, poloniex).") var exchange: String?
    @Option(help: "Only this interval (1m, 5m, 1h…).") var interval: String?
    @Flag(help: "List every load of each series.") var loads = false
    @Flag(
        help:
            "Print a JSON array of {exchange, symbol, interval, as_of, rows, first, last, missing: [{start, end, bars}], loads: [{source, first, last, rows, recorded_at}]}."
    ) var json = false

    func validate() throws {
        if let asOf, UTCDateArgument.parse(asOf) == nil { throw ValidationError("--as-of must be a UTC date or date-time, got \(asOf)") }
        if let exchange, ExchangeID(rawValue: exchange) == nil {
            throw ValidationError(
                "--exchange must be one of \(ExchangeID.allCases.map(\.rawValue).joined(separator: ", ")), got \(exchange)")
        }
        if let interval, KlineInterval(name: interval) == nil { throw ValidationError("--interval: \(interval) is not an interval") }
    }

    /// The moment asked about: a date alone is the end of that day.
    var moment: Date {
        guard let asOf, let value = UTCDateArgument.parse(asOf) else { return Date() }
        let endOfDay = asOf.contains("T") ? value : value + UTCCalendar.microsecondsPerDay - 1
        return Date(timeIntervalSince1970: Double(endOfDay) / 1_000_000)
    }

    func run() async throws {
        try runDataCommand {
            let warehouse = try options.openWarehouse()
            let coverages: [Coverage]
            do {
                coverages = try warehouse.coveredSeries().filter { series in
                    (symbol.map { $0.uppercased() == series.symbol } ?? true) && (exchange.map { $0 == series.exchange.rawValue } ?? true)
                        && (interval.flatMap(KlineInterval.init(name:)).map { $0 == series.interval } ?? true)
                }.map { try warehouse.coverage(exchange: $0.exchange, symbol: $0.symbol, interval: $0.interval, asOf: moment) }
                    .filter { $0.rows > 0 || !$0.loads.isEmpty }
            } catch { throw DataCommandFailure.failed("cannot read coverage: \(error)") }
            if json {
                print(Self.json(coverages))
                return
            }
            print("Known as of \(Self.time(moment.timeIntervalSince1970)):")
            let header = ["EXCHANGE", "SYMBOL", "INTERVAL", "ROWS", "FIRST", "LAST", "MISSING", "LOADS", "LAST LOAD"]
            let rows = coverages.map { coverage in
                [
                    coverage.exchange.rawValue, coverage.symbol, coverage.interval.rawValue, String(coverage.rows),
                    coverage.first.map { UTCCalendar.iso8601(microseconds: $0) } ?? "-",
                    coverage.last.map { UTCCalendar.iso8601(microseconds: $0) } ?? "-",
                    "\(coverage.missing.reduce(0) { $0 + $1.bars }) in \(coverage.missing.count) gap(s)", String(coverage.loads.count),
                    coverage.loads.last.map { Self.time($0.recordedAt.timeIntervalSince1970) } ?? "-",
                ]
            }
            SymbolsFormat.table(header: header, rows: rows)
            if loads {
                for coverage in coverages where !coverage.loads.isEmpty {
                    print("")
                    print("\(coverage.exchange.rawValue) \(coverage.symbol) \(coverage.interval.rawValue):")
                    SymbolsFormat.table(
                        header: ["RECORDED", "SOURCE", "FIRST", "LAST", "ROWS"],
                        rows: coverage.loads.map { load in
                            [
                                Self.time(load.recordedAt.timeIntervalSince1970), load.source,
                                load.firstOpenTime.map { UTCCalendar.iso8601(microseconds: $0) } ?? "-",
                                load.lastOpenTime.map { UTCCalendar.iso8601(microseconds: $0) } ?? "-", String(load.rows),
                            ]
                        })
                }
            }
        }
    }

    static func time(_ seconds: TimeInterval) -> String {
        UTCCalendar.iso8601(microseconds: Int64((seconds * 1_000_000).rounded()))
    }

    static func json(_ coverages: [Coverage]) -> String {
        struct Gap: Encodable { var start, end: String; var bars: Int }
        struct Load: Encodable {
            var source: String
            var first, last: String?
            var rows: Int
            var recorded_at: String
        }
        struct Entry: Encodable {
            var exchange, symbol, interval, as_of: String
            var rows: Int
            var first, last: String?
            var missing: [Gap]
            var loads: [Load]
        }
        let entries = coverages.map { coverage in
            Entry(
                exchange: coverage.exchange.rawValue, symbol: coverage.symbol, interval: coverage.interval.rawValue,
                as_of: time(coverage.asOf.timeIntervalSince1970), rows: coverage.rows,
                first: coverage.first.map { UTCCalendar.iso8601(microseconds: $0) },
                last: coverage.last.map { UTCCalendar.iso8601(microseconds: $0) },
                missing: coverage.missing.map {
                    Gap(start: UTCCalendar.iso8601(microseconds: $0.start), end: UTCCalendar.iso8601(microseconds: $0.end), bars: $0.bars)
                },
                loads: coverage.loads.map {
                    Load(
                        source: $0.source, first: $0.firstOpenTime.map { UTCCalendar.iso8601(microseconds: $0) },
                        last: $0.lastOpenTime.map { UTCCalendar.iso8601(microseconds: $0) }, rows: $0.rows,
                        recorded_at: time($0.recordedAt.timeIntervalSince1970))
                })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(entries)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
