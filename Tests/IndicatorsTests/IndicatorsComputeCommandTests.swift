import ArgumentParser
import Foundation
import Indicators
import MarketData
import Testing

@testable import MarketCLI
@testable import UpdraftCLI

/// `updraft indicators compute`, run in-process on the real BTCUSDT day.
@Suite struct IndicatorsComputeCommandTests {
    static let klineFile = GoldenTable.fixtures.appendingPathComponent("BTCUSDT-1m-2024-09-21.csv").path

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("updraft-indicators-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func run(_ arguments: [String]) async throws {
        var command = try IndicatorsCommand.parseAsRoot(arguments)
        guard var runnable = command as? AsyncParsableCommand else {
            try command.run()
            return
        }
        try await runnable.run()
    }

    /// The output CSV as its header and rows of fields.
    static func readOutput(_ path: String) throws -> (header: [String], rows: [[Substring]]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        return (header, lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) })
    }

    @Test func csvInputMatchesTALibGoldenInEveryColumn() async throws {
        let directory = try Self.temporaryDirectory()
        let output = directory.appendingPathComponent("out.csv").path
        try await Self.run(["compute", "--input", Self.klineFile, "--output", output])
        let (header, rows) = try Self.readOutput(output)
        #expect(header == ["open_time", "open", "high", "low", "close", "volume"] + IndicatorSet.columns)
        let golden = try GoldenTable.load("BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv")
        #expect(rows.count == golden.count)
        let input = try String(contentsOfFile: Self.klineFile, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",") }
        for (index, row) in rows.enumerated() {
            #expect(Array(row[0...5]) == Array(input[index][0...5]), "row \(index) echoes the input text")
            #expect(row[0] == golden.rawColumns["open_time"]![index])
        }
        for name in IndicatorSet.columns {
            let position = header.firstIndex(of: name)!
            let values = rows.map { $0[position] == "NaN" ? Double.nan : Double(String($0[position]))! }
            let deviation = Deviation(values, golden[name])
            #expect(deviation.matches(1e-9), "\(name): \(deviation)")
            #expect(deviation.maxRelative == 0, "\(name) written so it reads back to the same double")
        }
    }

    @Test func zipWithAnyNameGivesTheSameBytesAsTheCSV() async throws {
        let directory = try Self.temporaryDirectory()
        let csv = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.klineFile)))
        let zip = try ZipArchive.make(entries: [(name: "day.csv", bytes: csv)])
        let zipPath = directory.appendingPathComponent("download.bin").path
        #expect(FileManager.default.createFile(atPath: zipPath, contents: Data(zip)))
        let fromCSV = directory.appendingPathComponent("a.csv").path
        let fromZip = directory.appendingPathComponent("b.csv").path
        try await Self.run(["compute", "--input", Self.klineFile, "--output", fromCSV])
        try await Self.run(["compute", "--input", zipPath, "--output", fromZip])
        #expect(FileManager.default.contents(atPath: fromCSV) == FileManager.default.contents(atPath: fromZip))
    }

    @Test func microsecondInputKeepsMicrosecondTimes() async throws {
        let directory = try Self.temporaryDirectory()
        let csv = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.klineFile)))
        let klines = try KlineCSV.parse(csv, source: "day")
        let micro = directory.appendingPathComponent("micro.csv").path
        #expect(FileManager.default.createFile(atPath: micro, contents: Data(KlineCSV.format(klines, timeUnit: .microseconds))))
        let output = directory.appendingPathComponent("out.csv").path
        try await Self.run(["compute", "--input", micro, "--output", output])
        let (_, rows) = try Self.readOutput(output)
        #expect(rows.count == klines.count)
        #expect(zip(rows, klines).allSatisfy { Int64($0[0]) == $1.openTime }, "open_time stays in µs")
    }

    @Test func hourlyIntervalAggregatesBucketsThenComputes() async throws {
        let directory = try Self.temporaryDirectory()
        let output = directory.appendingPathComponent("hourly.csv").path
        try await Self.run(["compute", "--input", Self.klineFile, "--interval", "1h", "--output", output])
        let (header, rows) = try Self.readOutput(output)
        #expect(rows.count == 24)
        let csv = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.klineFile)))
        let klines = try KlineCSV.parse(csv, source: "day")
        for (hour, row) in rows.enumerated() {
            let bucket = klines[(hour * 60)..<(hour * 60 + 60)]
            #expect(Int64(row[0])! * 1000 == bucket.first!.openTime)
            #expect(row[1] == Substring(bucket.first!.open.description))
            #expect(row[2] == Substring(bucket.map(\.high).max()!.description))
            #expect(row[3] == Substring(bucket.map(\.low).min()!.description))
            #expect(row[4] == Substring(bucket.last!.close.description))
            #expect(row[5] == Substring(FixedDecimal(units: bucket.reduce(0) { $0 + $1.volume.units }).description))
        }
        let closes = rows.map { Double(String($0[4]))! }
        let sma = TA.sma(closes, period: 20)
        let written = rows.map { $0[header.firstIndex(of: "sma20")!] }
        #expect(
            written.map { $0 == "NaN" ? Double.nan : Double(String($0))! }.elementsEqual(sma) {
                $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN)
            })
    }

    @Test func badInputNamesTheFileAndWritesNothing() async throws {
        let directory = try Self.temporaryDirectory()
        let bad = directory.appendingPathComponent("bad.csv").path
        #expect(
            FileManager.default.createFile(
                atPath: bad,
                contents: Data(
                    "1726876800000,1,2,0.5,1.5,10,1726876859999,15,3,5,7,0\n1726876860000,oops,2,1,1,1,1726876919999,1,1,1,1,0\n".utf8)))
        let output = directory.appendingPathComponent("out.csv").path
        await #expect(throws: ExitCode.self) {
            try await Self.run(["compute", "--input", bad, "--output", output])
        }
        await #expect(throws: ExitCode.self) {
            try await Self.run([
                "compute", "--input", directory.appendingPathComponent("missing.zip").path,
                "--output", output,
            ])
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(throws: (any Error).self) {
            try IndicatorsCommand.parseAsRoot(["compute", "--input", bad, "--interval", "7x", "--output", output])
        }
    }

    @Test func errorsNameTheFileAndLine() async throws {
        let directory = try Self.temporaryDirectory()
        let bad = directory.appendingPathComponent("bad.csv").path
        #expect(
            FileManager.default.createFile(
                atPath: bad,
                contents: Data(
                    "1726876800000,1,2,0.5,1.5,10,1726876859999,15,3,5,7,0\n1726876860000,oops,2,1,1,1,1726876919999,1,1,1,1,0\n".utf8)))
        do {
            _ = try KlineInputFile.read(path: bad)
            Issue.record("bad input was accepted")
        } catch {
            #expect(error.description.contains("bad.csv"))
            #expect(error.description.contains("2"))
        }
    }

    @Test func helpNamesTheOptionsAndColumns() {
        let help = IndicatorsCommand.helpMessage(for: IndicatorsComputeCommand.self, columns: 100)
        #expect(help.contains("OVERVIEW: Write the standard TA-Lib indicators of a kline file as CSV."))
        #expect(
            help.contains("USAGE: updraft indicators compute --input <file> [--interval <interval>] --output <file>")
                || help.contains("USAGE: indicators compute --input <file> [--interval <interval>] --output <file>"))
        #expect(help.contains("sma20, ema20, rsi14, macd, macd_signal, macd_hist"))
        #expect(IndicatorsCommand.helpMessage(columns: 100).contains("compute"))
    }
}
