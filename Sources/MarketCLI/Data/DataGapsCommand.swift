import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// `updraft data gaps SYMBOL`: list runs of missing bars.
struct DataGapsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "List runs of missing bars for a symbol.",
        discussion: "Without --from/--to, the range runs from the symbol's first bar to its last."
    )

    @OptionGroup var options: HomeOptions

    @Argument(help: "Binance pair, e.g. BTCUSDT.")
    var symbol: String

    @Option(help: ArgumentHelp("Start of the range, inclusive: ISO 8601 date or date-time, UTC.", valueName: "date"))
    var from: UTCDateArgument?

    @Option(help: ArgumentHelp("End of the range, exclusive: ISO 8601 date or date-time, UTC.", valueName: "date"))
    var to: UTCDateArgument?

    @Option(help: ArgumentHelp("Kline interval, e.g. 1m or 1h.", valueName: "interval"))
    var interval: String = "1m"

    @Flag(help: "Print a JSON array of {start, end, missing}.")
    var json = false

    func validate() throws {
        if KlineInterval(name: interval) == nil { throw ValidationError("Unknown interval '\(interval)'.") }
        if let from, let to, to.microseconds <= from.microseconds { throw ValidationError("--to must be after --from.") }
    }

    func run() async throws {
        try runDataCommand {
            let warehouse = try options.openWarehouse()
            let gaps: [KlineGap]
            do {
                gaps = try warehouse.gaps(
                    symbol: symbol.uppercased(), interval: KlineInterval(name: interval)!,
                    from: from?.microseconds, to: to?.microseconds)
            } catch { throw DataCommandFailure.failed("cannot read klines: \(error)") }
            if json {
                let objects = gaps.map { gap in
                    "{\"start\":\"\(UTCCalendar.iso8601(microseconds: gap.start))\","
                        + "\"end\":\"\(UTCCalendar.iso8601(microseconds: gap.end))\",\"missing\":\(gap.missing)}"
                }
                print("[" + objects.joined(separator: ",") + "]")
                return
            }
            for gap in gaps {
                print(
                    "\(UTCCalendar.iso8601(microseconds: gap.start))  \(UTCCalendar.iso8601(microseconds: gap.end))  \(gap.missing) missing"
                )
            }
            print("\(gaps.count) gaps, \(gaps.reduce(0) { $0 + $1.missing }) missing bars")
        }
    }
}
