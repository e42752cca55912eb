import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// `updraft data import FILE…`: load Binance kline zips or CSVs into the warehouse.
struct DataImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load Binance kline zips or CSVs into the warehouse.",
        discussion: """
            Symbol, interval and period come from each file's name (BTCUSDT-1m-2024-01.zip, \
            BTCUSDT-1m-2024-01-15.csv). A zip's FILE.CHECKSUM beside it is verified when present. \
            Each file loads in its own transaction: a bad file changes nothing. Files already \
            loaded with the same sha256 are skipped.

            Rows are checked as they parse: each opens on its interval's grid (1w on Mondays, \
            1mo on the 1st) inside the file's period, after the row before it, with low <= open, \
            close <= high and no negative price, volume or trade count. A bad row rejects its \
            file, naming the line and column. A row repeating the one before it exactly is \
            stored once; a file with no rows is rejected. The row counts printed are rows stored.
            """
    )

    @OptionGroup var options: HomeOptions

    @Argument(help: ArgumentHelp("Kline .zip or .csv files.", valueName: "file"))
    var files: [String]

    @Flag(help: "Load files again even when the ledger says they are loaded.")
    var force = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one FILE to import.") }
    }

    func run() async throws {
        let warehouse: KlineWarehouse
        do { warehouse = try options.openWarehouse() } catch let failure as DataCommandFailure { throw failure.exitCode }
        let results = await warehouse.importArchivesInBackground(files.map { KlineArchiveSource.file(path: $0) }, skipLoaded: !force)
        try runDataCommand {
            var badInput = false, failed = false
            for result in results {
                switch result {
                case .success(let load) where load.skipped:
                    print("skipped \(load.name): already loaded (same sha256)")
                case .success(let load):
                    print(Self.summary(of: load))
                case .failure(let error):
                    printError(error.description + " (nothing stored)")
                    if error.isBadInput { badInput = true } else { failed = true }
                }
            }
            if failed { throw DataCommandFailure.failed("some files failed to load") }
            if badInput { throw DataCommandFailure.badInput("some files were rejected") }
        }
    }

    /// The line printed for a loaded file, e.g.
    /// `loaded BTCUSDT-1m-2024-01-15.zip: 1440 rows (BTCUSDT 1m, checksum ok)`.
    static func summary(of load: ArchiveLoad) -> String {
        var notes = ["\(load.symbol) \(load.interval.rawValue)"]
        if load.checksumVerified { notes.append("checksum ok") }
        if load.duplicates > 0 {
            notes.append("\(load.duplicates) repeated \(load.duplicates == 1 ? "row" : "rows") stored once")
        }
        return "loaded \(load.name): \(load.rows) rows (\(notes.joined(separator: ", ")))"
    }
}
