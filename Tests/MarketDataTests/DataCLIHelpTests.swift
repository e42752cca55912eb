import ArgumentParser
import Testing

@testable import MarketCLI
@testable import UpdraftCLI

/// Snapshot tests of the `updraft data` help output: a change here is a user-visible change.
@Suite struct DataCLIHelpTests {
    static func help(_ command: ParsableCommand.Type) -> String {
        var text = UpdraftApplication(extensions: [MarketExtension()], dags: { _ in [] })
            .helpMessage(for: command, columns: 100)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    @Test func groupHelp() {
        #expect(
            Self.help(DataCommand.self) == """
                OVERVIEW: Import, export and inspect klines in the warehouse.

                USAGE: updraft data <subcommand>

                OPTIONS:
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  import                  Load Binance kline zips or CSVs into the warehouse.
                  export                  Write klines as Binance's 12-column CSV.
                  gaps                    List runs of missing bars for a symbol.
                  stats                   Show rows and time range per symbol and interval.
                  partitions              Show each partition (symbol, exchange, month) and its state.
                  backfill                Trigger historical for the missing, partial and failed partitions only.
                  coverage                Show the candles known on a date and the loads that recorded them.

                  See 'updraft help data <subcommand>' for detailed help.
                """)
    }

    @Test func importHelp() {
        #expect(
            Self.help(DataImportCommand.self) == """
                OVERVIEW: Load Binance kline zips or CSVs into the warehouse.

                Symbol, interval and period come from each file's name (BTCUSDT-1m-2024-01.zip,
                BTCUSDT-1m-2024-01-15.csv). A zip's FILE.CHECKSUM beside it is verified when present. Each file
                loads in its own transaction: a bad file changes nothing. Files already loaded with the same sha256
                are skipped.

                Rows are checked as they parse: each opens on its interval's grid (1w on Mondays, 1mo on the 1st)
                inside the file's period, after the row before it, with low <= open, close <= high and no negative
                price, volume or trade count. A bad row rejects its file, naming the line and column. A row
                repeating the one before it exactly is stored once; a file with no rows is rejected. The row counts
                printed are rows stored.

                USAGE: updraft data import [--home <dir>] [--config <file>] <file> ... [--force]

                ARGUMENTS:
                  <file>                  Kline .zip or .csv files.

                OPTIONS:
                  --home <dir>            Home folder: state, logs, the extensions' data (default: $UPDRAFT_HOME,
                                          else ./runs).
                  --config <file>         Configuration file (default: $UPDRAFT_CONFIG, else <home>/updraft.yaml
                                          when present).
                  --force                 Load files again even when the ledger says they are loaded.
                  -h, --help              Show help information.
                """)
    }

    @Test func exportHelp() {
        #expect(
            Self.help(DataExportCommand.self) == """
                OVERVIEW: Write klines as Binance's 12-column CSV.

                Rows open in [--from, --to). Without --time-unit each row uses Binance's own unit for its date (µs
                from 2025-01-01, else ms), so exporting an imported file reproduces it byte for byte. With
                data.forward_fill on, 1m exports include the forward-filled minutes and a 13th column, filled (1
                for a filled minute, 0 for a real one).

                USAGE: updraft data export [--home <dir>] [--config <file>] <symbol> --from <date> --to <date> [--interval <interval>] [--time-unit <unit>] [--output <file>]

                ARGUMENTS:
                  <symbol>                Binance pair, e.g. BTCUSDT.

                OPTIONS:
                  --home <dir>            Home folder: state, logs, the extensions' data (default: $UPDRAFT_HOME,
                                          else ./runs).
                  --config <file>         Configuration file (default: $UPDRAFT_CONFIG, else <home>/updraft.yaml
                                          when present).
                  --from <date>           First open time, inclusive: ISO 8601 date or date-time, UTC.
                  --to <date>             End of the range, exclusive: ISO 8601 date or date-time, UTC.
                  --interval <interval>   Kline interval: 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1mo.
                                          (default: 1m)
                  --time-unit <unit>      Unit of the time columns: ms or us (default: Binance's for each row's
                                          date).
                  --output <file>         Write to this file instead of standard output.
                  -h, --help              Show help information.
                """)
    }

    @Test func statsHelp() {
        #expect(
            Self.help(DataStatsCommand.self) == """
                OVERVIEW: Show rows and time range per symbol and interval.

                USAGE: updraft data stats [--home <dir>] [--config <file>] [--json]

                OPTIONS:
                  --home <dir>            Home folder: state, logs, the extensions' data (default: $UPDRAFT_HOME,
                                          else ./runs).
                  --config <file>         Configuration file (default: $UPDRAFT_CONFIG, else <home>/updraft.yaml
                                          when present).
                  --json                  Print a JSON array of {symbol, interval, rows, first_open_time,
                                          last_open_time} (times ISO 8601 UTC).
                  -h, --help              Show help information.
                """)
    }
}
