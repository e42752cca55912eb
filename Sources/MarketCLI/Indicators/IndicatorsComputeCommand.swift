import ArgumentParser
import Foundation
import Indicators
import UpdraftCLI

/// `updraft indicators compute --input FILE [--interval 1h] --output OUT.csv`.
struct IndicatorsComputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compute",
        abstract: "Write the standard TA-Lib indicators of a kline file as CSV.",
        discussion: """
            Reads a Binance 12-column kline CSV or zip (no header, any file name) and writes a \
            header row, then one row per candle (per UTC bucket with --interval): open_time in \
            the input's unit, the OHLCV text, then \(IndicatorSet.columns.joined(separator: ", ")). \
            Values match TA-Lib 0.8.1; NaN where undefined; VWAP is cumulative over the file.
            """
    )

    @Option(help: ArgumentHelp("Kline CSV or zip to read.", valueName: "file"))
    var input: String

    @Option(help: ArgumentHelp("Resample to this interval first: 5m, 15m, 1h, 4h, 1d or N m/h/d.", valueName: "interval"))
    var interval: String?

    @Option(help: ArgumentHelp("CSV file to write.", valueName: "file"))
    var output: String

    func validate() throws {
        if let interval {
            do { _ = try BarInterval(interval) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        do {
            let file = try KlineInputFile.read(path: input)
            let table: IndicatorTable
            if let interval {
                table = try IndicatorTable(file: file, interval: try BarInterval(interval))
                for row in table.partialRows {
                    let note = "note: bucket \(table.openTimes[row]) is partial: \(input) does not cover all of it\n"
                    FileHandle.standardError.write(Data(note.utf8))
                }
            } else {
                table = IndicatorTable(file: file)
            }
            guard FileManager.default.createFile(atPath: output, contents: Data(table.csv())) else {
                printError("cannot write \(output)")
                throw ExitCode(1)
            }
        } catch let error as IndicatorsInputError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as ResamplingError {
            printError("\(input): \(error)")
            throw ExitCode(2)
        }
    }
}
