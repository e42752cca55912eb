import ArgumentParser
import Foundation
import MarketData
import MarketPipeline
import UpdraftCLI

/// `updraft data export SYMBOL --from --to`: write klines as Binance's 12-column CSV.
struct DataExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write klines as Binance's 12-column CSV.",
        discussion: """
            Rows open in [--from, --to). Without --time-unit each row uses Binance's own unit \
            for its date (µs from 2025-01-01, else ms), so exporting an imported file \
            reproduces it byte for byte. With data.forward_fill on, 1m exports include the \
            forward-filled minutes and a 13th column, filled (1 for a filled minute, 0 for a \
            real one).
            """
    )

    @OptionGroup var options: HomeOptions

    @Argument(help: ArgumentHelp("Binance pair, e.g. BTCUSDT.", valueName: "symbol"))
    var symbol: String

    @Option(help: ArgumentHelp("First open time, inclusive: ISO 8601 date or date-time, UTC.", valueName: "date"))
    var from: UTCDateArgument

    @Option(help: ArgumentHelp("End of the range, exclusive: ISO 8601 date or date-time, UTC.", valueName: "date"))
    var to: UTCDateArgument

    @Option(help: ArgumentHelp("Kline interval: 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1mo.", valueName: "interval"))
    var interval: String = "1m"

    @Option(
        name: .customLong("time-unit"),
        help: ArgumentHelp("Unit of the time columns: ms or us (default: Binance's for each row's date).", valueName: "unit"))
    var timeUnit: String?

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        if KlineInterval(name: interval) == nil { throw ValidationError("Unknown interval '\(interval)'.") }
        if let timeUnit, TimeUnit(rawValue: timeUnit) == nil { throw ValidationError("--time-unit must be ms or us, not '\(timeUnit)'.") }
        if to.microseconds <= from.microseconds { throw ValidationError("--to must be after --from.") }
    }

    func run() async throws {
        try runDataCommand {
            let warehouse = try options.openWarehouse()
            let withFilled = try KlineInterval(name: interval) == .oneMinute && options.configuration()[.dataForwardFill]
            let rows: [FlaggedKline]
            do {
                if withFilled {
                    rows = try warehouse.klinesIncludingFilled(
                        symbol: symbol.uppercased(), from: from.microseconds, to: to.microseconds)
                } else {
                    rows = try warehouse.klines(
                        symbol: symbol.uppercased(), interval: KlineInterval(name: interval)!,
                        from: from.microseconds, to: to.microseconds
                    ).map { FlaggedKline(kline: $0, isFilled: false) }
                }
            } catch { throw DataCommandFailure.failed("cannot read klines: \(error)") }
            let klines = rows.map(\.kline)
            if klines.isEmpty {
                let range =
                    "[\(UTCCalendar.iso8601(microseconds: from.microseconds)), \(UTCCalendar.iso8601(microseconds: to.microseconds)))"
                FileHandle.standardError.write(Data("warning: no \(symbol.uppercased()) \(interval) klines open in \(range)\n".utf8))
            }
            let unit = timeUnit.flatMap(TimeUnit.init(rawValue:))
            let bytes = withFilled ? Self.formatFlagged(rows, timeUnit: unit) : KlineCSV.format(klines, timeUnit: unit)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                    throw DataCommandFailure.failed("cannot write \(output)")
                }
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        }
    }

    /// Binance's 12 columns of each row, then `filled` (1 or 0).
    static func formatFlagged(_ rows: [FlaggedKline], timeUnit: TimeUnit?) -> [UInt8] {
        var out: [UInt8] = []
        for row in rows {
            var line = KlineCSV.format([row.kline], timeUnit: timeUnit)
            if line.last == UInt8(ascii: "\n") { line.removeLast() }
            out += line
            out += Array((row.isFilled ? ",1\n" : ",0\n").utf8)
        }
        return out
    }
}
