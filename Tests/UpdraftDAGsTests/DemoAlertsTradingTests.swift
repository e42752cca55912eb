import Foundation
import MarketData
import MarketPipeline
import Testing

/// `updraft demo`, made small (hidden options: 4 coins, one month, 3 training days), fires at
/// least one market alert and makes at least one paper fill, and says so at its end.
@Suite(.serialized) struct DemoAlertsTradingTests {
    @Test func theDemoFiresAnAlertAndMakesAPaperFillAndShowsThem() async throws {
        let home = try PipelineHarness.makeHome() + "/demo"
        defer { try? FileManager.default.removeItem(atPath: (home as NSString).deletingLastPathComponent) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineHarness.binary)
        process.arguments = [
            "demo", "--home", home, "--parallelism", "2", "--timeout", "1800", "--coins", "4", "--months", "1", "--training-days", "3",
        ]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UPDRAFT_") }
        let output = (home as NSString).deletingLastPathComponent + "/demo.out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(500)) }
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(text.suffix(4_000))")

        let stores = try MarketStores(home: home)
        let alerts = try stores.alerts.firings(limit: 100_000)
        let fills = try stores.ledger.fills(mode: .paper)
        #expect(!alerts.isEmpty && !fills.isEmpty)
        #expect(text.contains("Market alerts: \(alerts.count) fired"), "\(text.suffix(4_000))")
        #expect(text.contains("Paper trading: \(fills.count) fills"), "\(text.suffix(4_000))")
        #expect(alerts.allSatisfy { $0.rule == "demo-rsi-hot" || $0.rule == "demo-move" })

        // The commands read the same: alerts, trades, and the ledger's PnL equal to a backtest of
        // the same bars (the demo's configuration given as the environment).
        let listed = try JSONSerialization.jsonObject(
            with: try Self.updraft(["alerts", "list", "--json", "--limit", "100000"], home: home))
        #expect((listed as? [Any])?.count == alerts.count)
        let trades = try JSONSerialization.jsonObject(with: try Self.updraft(["trades", "list", "--json", "--mode", "paper"], home: home))
        #expect((trades as? [Any])?.count == fills.count)
        let pnl = try JSONDecoder().decode(TradingReport.self, from: try Self.updraft(["pnl", "--json", "--mode", "paper"], home: home))
        let line = try #require(pnl.symbols.first)
        let from = try #require(line.from), to = try #require(line.to)
        let backtest = try JSONDecoder().decode(
            TradingReport.self,
            from: try Self.updraft(
                ["backtest", "--json", "--symbol", line.symbol, "--from", Self.iso(from), "--to", Self.iso(to + 60_000_000)], home: home))
        let tested = try #require(backtest.symbols.first)
        #expect(tested.bars == line.bars && tested.fills == line.fills)
        #expect(abs(tested.equity - line.equity) < 1e-6 && abs(tested.feesPaid - line.feesPaid) < 1e-9, "\(tested) vs \(line)")
    }

    /// `updraft ARGS --home HOME` with the demo's trading and rule settings, its standard output.
    static func updraft(_ arguments: [String], home: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineHarness.binary)
        process.arguments = arguments + ["--home", home]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UPDRAFT_") }
        environment["UPDRAFT_TRADING_BUY_ABOVE"] = "0"
        environment["UPDRAFT_TRADING_SELL_BELOW"] = "-0.0001"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "updraft \(arguments.joined(separator: " ")): \(String(decoding: data, as: UTF8.self))")
        return data
    }

    /// `2024-03-10T12:34:00Z` for µs.
    static func iso(_ micros: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }
}
