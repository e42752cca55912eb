import Foundation
import Testing

@testable import UpdraftRuntime

/// Rule lines of `notifications.rules`: what they mean, and errors that name the line and word.
@Suite struct NotificationRuleTests {
    @Test func linesBecomeRulesWithTheirSettings() throws {
        let rules = try NotificationRule.parse([
            "failure", "retry dags=historical,incremental tasks=*.load_* channels=slack name=loads",
            "sla dags=historical after=2h", "missed_schedule grace=90s", "asset_stale asset=tickerdata_1m max_age=1d channels=email",
        ])
        #expect(rules.map(\.name) == ["failure-1", "loads", "sla-3", "missed_schedule-4", "asset_stale-5"])
        #expect(rules[1].dags == ["historical", "incremental"] && rules[1].channels == ["slack"])
        #expect(rules[2].after == 7200 && rules[3].grace == 90 && rules[4].maxAge == 86_400 && rules[4].asset == "tickerdata_1m")
        #expect(rules[0].matches(dagId: "anything", taskId: "x"))
        #expect(rules[1].matches(dagId: "historical", taskId: "historical.BTCUSDT.load_2024_01"))
        #expect(!rules[1].matches(dagId: "historical", taskId: "historical.BTCUSDT.check"))
        #expect(!rules[1].matches(dagId: "get_symbols", taskId: "x.load_1"))
    }

    @Test func globsMatchWholeIds() {
        #expect(NotificationRule.glob("a*c", matches: "abc") && NotificationRule.glob("a*c", matches: "ac"))
        #expect(!NotificationRule.glob("a*c", matches: "abcd") && !NotificationRule.glob("*.x", matches: "a.y"))
        #expect(NotificationRule.glob("*", matches: "") && NotificationRule.glob("h*l*y", matches: "hourly"))
        #expect(!NotificationRule.glob("ab*ba", matches: "aba"))
    }

    @Test(arguments: [
        (
            "falure",
            "notifications.rules[1] 'falure': unknown event 'falure' (one of failure, retry, recovery, sla, missed_schedule, asset_stale)"
        ),
        ("failure dags", "notifications.rules[1] 'failure dags': 'dags' is not key=value"),
        ("failure after=2h", "notifications.rules[1] 'failure after=2h': 'after' is not a setting of a failure rule"),
        ("sla", "notifications.rules[1] 'sla': an sla rule needs after=DURATION (e.g. after=2h)"),
        ("sla after=2x", "notifications.rules[1] 'sla after=2x': 'after=2x' is not a duration like 90s, 15m, 2h or 1d"),
        ("asset_stale asset=a", "notifications.rules[1] 'asset_stale asset=a': an asset_stale rule needs asset=NAME and max_age=DURATION"),
        ("failure channels=", "notifications.rules[1] 'failure channels=': 'channels' has no value"),
    ])
    func badLinesAreRefusedNamingTheLineAndWord(_ line: String, _ message: String) {
        #expect(throws: NotificationRuleError(message)) { try NotificationRule.parse([line]) }
    }

    @Test func twoRulesCannotShareAName() {
        #expect(throws: NotificationRuleError("notifications.rules[2] 'retry name=a': another rule is named 'a'")) {
            try NotificationRule.parse(["failure name=a", "retry name=a"])
        }
    }
}
