import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

@testable import UpdraftDAGs

/// The `alerts` DAG end to end on crafted candles: rules from the configuration, firings stored
/// once per crossing across runs (hysteresis kept between runs), re-runs storing and notifying
/// nothing new, and a bad rule failing the run with the key, the rule and the word.
@Suite struct AlertsDAGTests {
    /// Flat at 100, up 3 % at minutes 78–89, back to 100 from minute 90.
    static func closes(_ range: Range<Int>) -> [Double] { range.map { (78..<90).contains($0) ? 103 : 100 } }

    @Test func aCrossingFiresOnceAcrossRunsAndAReRunAddsNothing() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        try fixture.track("BTCUSDT")
        try fixture.addCandles("BTCUSDT", from: 0, closes: Self.closes(0..<80))
        try fixture.computeIndicators("BTCUSDT")
        let configuration = try fixture.configuration([
            "alerts.rules": "price_move percent=2 minutes=5 name=jump symbols=BTCUSDT", "alerts.channels": "ops",
        ])
        let harness = try await fixture.harness(configuration)
        var engine = harness.engine
        engine.notifications = NotificationSettings(channels: ["ops", "slack"])

        // Run 1 sees the jump at minute 78 (still up at 79).
        let first = try await MarketDAGFixture.run("alerts", engine: engine, harness: harness)
        #expect(first.state == .success)
        var firings = try fixture.stores.alerts.firings()
        #expect(firings.map(\.openTime) == [MarketDAGFixture.time(78)])
        let firing = try #require(firings.first)
        #expect(firing.rule == "jump" && firing.symbol == "BTCUSDT" && firing.close == 103 && firing.runId == first.run.runId)
        #expect(firing.condition == "price_move percent=2 minutes=5" && abs(firing.value - 3) < 1e-9)
        #expect(firing.notificationKey == "alert:jump:BTCUSDT:\(MarketDAGFixture.time(78) / 1_000)")
        #expect(firing.notificationLines.contains("candle: 2024-03-10 01:18 UTC"))
        // One message in the outbox, to the channel alerts.channels names.
        var outbox = try await harness.store.notifications(NotificationQuery())
        #expect(outbox.map(\.draft.key) == ["notice:" + firing.notificationKey] && outbox.map(\.draft.channel) == ["ops"])
        let message = try #require(outbox.first?.draft)
        #expect(message.event == "market_alert" && message.title == "BTCUSDT: alert jump" && message.runId == first.run.runId)
        #expect(message.lines.contains("symbol: BTCUSDT") && message.lines.contains("close: 103.0"), "\(message.lines)")
        #expect(message.lines.contains("rule: jump (price_move percent=2 minutes=5)") && message.lines.contains("value: 3"))

        // A re-run of the same run: nothing new stored.
        let cleared = try await harness.engine.clear(run: first.run.key, taskIds: ["evaluate"], downstream: true)
        #expect(cleared == ["evaluate"])
        let again = try await MarketDAGFixture.run("alerts", key: first.run.key, engine: engine, harness: harness)
        #expect(again.state == .success && again.instances["evaluate"]?.tryNumber == 2)
        #expect(try fixture.stores.alerts.firings().count == 1)
        outbox = try await harness.store.notifications(NotificationQuery())
        #expect(outbox.count == 1)

        // Run 2: still up at 80–82 (no second firing: the rule is disarmed across runs), back down
        // at 90 (−2.9 % in 5 minutes: a new crossing).
        try fixture.addCandles("BTCUSDT", from: 80, closes: Self.closes(80..<120))
        try fixture.computeIndicators("BTCUSDT")
        let second = try await MarketDAGFixture.run("alerts", engine: engine, harness: harness)
        #expect(second.state == .success)
        firings = try fixture.stores.alerts.firings()
        #expect(firings.map(\.openTime) == [MarketDAGFixture.time(90), MarketDAGFixture.time(78)])
        #expect(firings[0].runId == second.run.runId && firings[0].value < -2)
        outbox = try await harness.store.notifications(NotificationQuery())
        #expect(Set(outbox.map(\.draft.key)) == Set(firings.map { "notice:" + $0.notificationKey }) && outbox.count == 2)
        let state = try #require(try fixture.stores.alerts.states(symbol: "BTCUSDT")["jump"])
        #expect(state.state.lastOpenTime == MarketDAGFixture.time(119) / 1_000)
    }

    @Test func aRuleForOtherSymbolsAndNoRulesFireNothing() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        try fixture.track("BTCUSDT")
        try fixture.addCandles("BTCUSDT", from: 0, closes: Self.closes(0..<100))
        try fixture.computeIndicators("BTCUSDT")
        for rules in ["", "price_move percent=2 minutes=5 symbols=ETHUSDT"] {
            let harness = try await fixture.harness(try fixture.configuration(["alerts.rules": rules]))
            #expect(try await harness.run("alerts").state == .success)
        }
        #expect(try fixture.stores.alerts.firings().isEmpty)
    }

    @Test func aBadRuleFailsTheRunNamingTheKeyTheRuleAndTheWord() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        let harness = try await fixture.harness(try fixture.configuration(["alerts.rules": "bollinger, rsi_above levl=70"]))
        let result = try await harness.run("alerts")
        #expect(result.state == .failed)
        let log = try String(contentsOfFile: try #require(Self.logPath(fixture.home, result)), encoding: .utf8)
        #expect(log.contains("alerts.rules, rule 2 ('rsi_above levl=70'): 'levl=70': unknown parameter 'levl'"), "\(log)")
    }

    /// The first try log of the run's `evaluate` task.
    static func logPath(_ home: String, _ result: DAGTestHarness.RunResult) -> String? {
        let root = home + "/logs/alerts"
        let walker = FileManager.default.enumerator(atPath: root)
        while let path = walker?.nextObject() as? String {
            if path.hasSuffix(".log"), path.contains(result.run.runId) || path.contains("evaluate") { return root + "/" + path }
        }
        return nil
    }
}
