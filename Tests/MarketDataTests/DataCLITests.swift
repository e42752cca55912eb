import ArgumentParser
import Foundation
import Testing

@testable import MarketCLI
@testable import MarketData
@testable import UpdraftCLI

@Suite struct DataCLITests {
    /// A fresh `--home` directory, removed afterwards.
    final class Home {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-data-\(UUID().uuidString)").path
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    }

    /// Parses `updraft data ARGS` in-process and runs it; returns the exit code.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> Int32 {
        var command = try DataCommand.parseAsRoot(arguments)
        do {
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        }
    }

    @Test func importThenExportReproducesEveryFixtureByteForByte() async throws {
        let home = Home()
        let files = CodecFixtures.zips.map(\.path) + CodecFixtures.csvs.map(\.path)
        #expect(try await Self.run(["import", "--home", home.path] + files) == 0)
        for url in CodecFixtures.zips + CodecFixtures.csvs {
            let name = try KlineFileName(parsing: url.lastPathComponent)
            var original = try CodecFixtures.bytes(url)
            if url.pathExtension == "zip" {
                original = try ZipArchive.extract(ZipArchive.entries(of: original, source: "z")[0], from: original)
            }
            let (start, end) = (UTCCalendar.iso8601(microseconds: name.period.start), UTCCalendar.iso8601(microseconds: name.period.end))
            let output = home.file(name.csvName)
            let code = try await Self.run([
                "export", "BTCUSDT", "--from", start, "--to", end, "--interval", name.interval.rawValue,
                "--output", output, "--home", home.path,
            ])
            #expect(code == 0)
            #expect(try CodecFixtures.bytes(URL(fileURLWithPath: output)) == original, "\(name)")
        }
    }

    @Test func volumesPastInt64UnitsImportAndExportByteForByte() async throws {
        let home = Home()
        let csv = home.file(CodecKlineCSVTests.wideName)
        try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true)
        try Data(CodecKlineCSVTests.wideRows.utf8).write(to: URL(fileURLWithPath: csv))
        #expect(try await Self.run(["import", "--home", home.path, csv]) == 0)
        let output = home.file("out.csv")
        #expect(
            try await Self.run([
                "export", "PEPEUSDT", "--from", "2024-03-05", "--to", "2024-03-06",
                "--output", output, "--home", home.path,
            ]) == 0)
        #expect(try CodecFixtures.bytes(URL(fileURLWithPath: output)) == Array(CodecKlineCSVTests.wideRows.utf8))
    }

    @Test func exportHonoursTimeUnitAndDateOnlyBounds() async throws {
        let home = Home()
        try await Self.run(["import", CodecFixtures.zips[3].path, "--home", home.path])
        let output = home.file("out.csv")
        #expect(
            try await Self.run([
                "export", "btcusdt", "--from", "2026-05-08T01:00:00Z", "--to", "2026-05-08T03:00",
                "--interval", "1h", "--time-unit", "ms", "--output", output, "--home", home.path,
            ]) == 0)
        let lines = String(decoding: try CodecFixtures.bytes(URL(fileURLWithPath: output)), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("1778202000000,"))
        #expect(lines[1].hasPrefix("1778205600000,"))
        #expect(lines[0].split(separator: ",")[6] == "1778205599999")
    }

    @Test func forwardFilledMinutesExportWithTheirFlag() throws {
        let warehouse = try KlineWarehouse()
        let start = UTCCalendar.microseconds(year: 2024, month: 3, day: 5), minute: Int64 = 60_000_000
        func kline(_ index: Int64, close: Int64) -> Kline {
            let price = FixedDecimal(units: close)
            return Kline(
                openTime: start + index * minute, open: price, high: price, low: price, close: price,
                volume: FixedDecimal(units: 200_000_000), closeTime: start + (index + 1) * minute - 1_000, quoteVolume: price,
                trades: 3, takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
        }
        _ = try warehouse.insert([kline(0, close: 100), kline(3, close: 130)], symbol: "BTCUSDT", interval: .oneMinute)
        #expect(try warehouse.forwardFill(symbol: "BTCUSDT", from: start, to: start + 4 * minute) == 2)
        let rows = try warehouse.klinesIncludingFilled(symbol: "BTCUSDT")
        let lines = String(decoding: DataExportCommand.formatFlagged(rows, timeUnit: nil), as: UTF8.self)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.count == 13 })
        #expect(lines.map { $0[12] } == ["0", "1", "1", "0"])
        // A filled minute: its open time, the previous close for every price, no volume, no trade.
        #expect(lines[1][0] == "\((start + minute) / 1000)" && lines[1][6] == "\((start + 2 * minute) / 1000 - 1)")
        #expect(lines[1][1...4].allSatisfy { $0 == "0.00000100" } && lines[1][5] == "0.00000000" && lines[1][8] == "0")
        // The first 12 columns of a real minute are its Binance row, as a plain export writes it.
        #expect(lines[3][0..<12].joined(separator: ",") + "\n" == String(decoding: KlineCSV.format([kline(3, close: 130)]), as: UTF8.self))
    }

    @Test func importingTwiceLeavesTheSameRows() async throws {
        let home = Home()
        let files = CodecFixtures.zips.map(\.path)
        #expect(try await Self.run(["import", "--home", home.path] + files) == 0)
        let first = try KlineWarehouse(home: home.path).stats()
        #expect(try await Self.run(["import", "--home", home.path] + files) == 0)
        #expect(try await Self.run(["import", "--force", "--home", home.path] + files) == 0)
        #expect(try KlineWarehouse(home: home.path).stats() == first)
        #expect(first.map(\.rows) == [4320, 48])
    }

    @Test func badFilesExitTwoAndLeaveTheTableUnchanged() async throws {
        let home = Home()
        try await Self.run(["import", CodecFixtures.zips[0].path, "--home", home.path])
        let before = try WarehouseTests.tableDump(try KlineWarehouse(home: home.path))
        let zip = try CodecFixtures.bytes(CodecFixtures.zips[1])
        let bad = home.file("bad")
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
        // Truncated zip.
        let truncated = (bad as NSString).appendingPathComponent("BTCUSDT-1m-2020-01-02.zip")
        _ = FileManager.default.createFile(atPath: truncated, contents: Data(zip.prefix(zip.count / 2)))
        #expect(try await Self.run(["import", truncated, "--home", home.path]) == 2)
        // Bad checksum beside a good zip.
        _ = FileManager.default.createFile(atPath: truncated, contents: Data(zip))
        _ = FileManager.default.createFile(
            atPath: truncated + ".CHECKSUM",
            contents: Data(("0000000000000000000000000000000000000000000000000000000000000000  BTCUSDT-1m-2020-01-02.zip").utf8))
        #expect(try await Self.run(["import", truncated, "--home", home.path]) == 2)
        // Malformed row in a CSV.
        let csvPath = (bad as NSString).appendingPathComponent("BTCUSDT-1m-2020-01-03.csv")
        let row = "1578009600000,7344.96000000,7345.19000000,7,7,1,1578009659999,1,1,1,1,0\n"
        _ = FileManager.default.createFile(atPath: csvPath, contents: Data((row + "1578009660000,oops\n").utf8))
        #expect(try await Self.run(["import", csvPath, "--home", home.path]) == 2)
        #expect(try WarehouseTests.tableDump(try KlineWarehouse(home: home.path)) == before)
        // Bad usage: an unknown interval.
        #expect(throws: (any Error).self) {
            try DataCommand.parseAsRoot(["export", "BTCUSDT", "--from", "2020-01-01", "--to", "2020-01-02", "--interval", "7m"])
        }
        #expect(throws: (any Error).self) {
            try DataCommand.parseAsRoot(["export", "BTCUSDT", "--from", "2020-13-01", "--to", "2020-01-02"])
        }
    }

    @Test func impossibleRowsAndEmptyFilesExitTwoAndRepeatsAreCountedOnce() async throws {
        let home = Home()
        try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true)
        func write(_ name: String, _ rows: [String]) throws -> String {
            let path = home.file(name)
            try Data(rows.isEmpty ? [] : WarehouseImportValidationTests.csv(rows)).write(to: URL(fileURLWithPath: path))
            return path
        }
        let row = WarehouseImportValidationTests.row
        let negative = try write("BTCUSDT-1m-2020-01-01.csv", [row(0, nil, ""), row(1, 6, "-1.00000000")])
        #expect(try await Self.run(["import", "--home", home.path, negative]) == 2)
        let empty = try write("BTCUSDT-1m-2020-01-02.csv", [])
        #expect(try await Self.run(["import", "--home", home.path, empty]) == 2)
        let warehouse = try KlineWarehouse(home: home.path)
        #expect(try warehouse.stats().isEmpty)
        #expect(try warehouse.loadedArchive(named: "BTCUSDT-1m-2020-01-02.csv") == nil)
        let repeated = try write("BTCUSDT-1m-2020-01-01.csv", [row(0, nil, ""), row(0, nil, ""), row(1, nil, "")])
        #expect(try await Self.run(["import", "--home", home.path, repeated]) == 0)
        #expect(try warehouse.stats().map(\.rows) == [2])
        #expect(try warehouse.loadedArchive(named: "BTCUSDT-1m-2020-01-01.csv")?.rows == 2)
    }

    @Test func importSummaryCountsRowsStoredAndRepeats() {
        var load = ArchiveLoad(
            name: "BTCUSDT-1m-2020-01-01.zip", symbol: "BTCUSDT", interval: .oneMinute, rows: 15,
            sha256: "", skipped: false, checksumVerified: true)
        #expect(DataImportCommand.summary(of: load) == "loaded BTCUSDT-1m-2020-01-01.zip: 15 rows (BTCUSDT 1m, checksum ok)")
        load.duplicates = 5
        load.checksumVerified = false
        #expect(
            DataImportCommand.summary(of: load)
                == "loaded BTCUSDT-1m-2020-01-01.zip: 15 rows (BTCUSDT 1m, 5 repeated rows stored once)")
    }

    @Test func gapsAndStatsReport() async throws {
        let home = Home()
        let files = [CodecFixtures.zips[0].path, CodecFixtures.zips[2].path]  // 2020-01-01 and 01-03: a day missing
        #expect(try await Self.run(["import", "--home", home.path] + files) == 0)
        let warehouse = try KlineWarehouse(home: home.path)
        #expect(
            try warehouse.gaps(symbol: "BTCUSDT") == [
                KlineGap(
                    start: UTCCalendar.microseconds(year: 2020, month: 1, day: 2),
                    end: UTCCalendar.microseconds(year: 2020, month: 1, day: 3), missing: 1440)
            ])
        #expect(try await Self.run(["gaps", "BTCUSDT", "--json", "--home", home.path]) == 0)
        #expect(try await Self.run(["stats", "--home", home.path]) == 0)
        let json = DataStatsCommand.json(try warehouse.stats())
        #expect(
            json
                == #"[{"first_open_time":"2020-01-01T00:00:00Z","interval":"1m","last_open_time":"2020-01-03T23:59:00Z","rows":2880,"symbol":"BTCUSDT"}]"#
        )
    }

    @Test(arguments: [
        ("2024-01-15", Int64(1_705_276_800_000_000)), ("2024-01-15T10:30", 1_705_314_600_000_000),
        ("2024-01-15T10:30:00Z", 1_705_314_600_000_000), ("2024-01-15T10:30:00.25+00:00", 1_705_314_600_250_000),
    ])
    func parsesISODates(text: String, microseconds: Int64) {
        #expect(UTCDateArgument(argument: text)?.microseconds == microseconds)
    }

    @Test(arguments: ["2024-1-15", "2024-02-30", "2024-01-15T25:00", "2024-01-15T10:30+02:00", "yesterday", "2024-01-15Z"])
    func rejectsBadDates(text: String) {
        #expect(UTCDateArgument(argument: text) == nil)
    }
}
