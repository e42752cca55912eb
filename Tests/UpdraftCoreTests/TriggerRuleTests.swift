import Testing
import UpdraftCore

/// Every trigger rule's truth table over the same upstream situations (2 upstream tasks).
@Suite struct TriggerRuleTests {
    typealias Row = (situation: String, counts: UpstreamCounts)

    static let situations: [Row] = [
        ("none done", UpstreamCounts(total: 2)),
        ("1 success, 1 pending", UpstreamCounts(total: 2, success: 1)),
        ("1 failed, 1 pending", UpstreamCounts(total: 2, failed: 1)),
        ("1 skipped, 1 pending", UpstreamCounts(total: 2, skipped: 1)),
        ("2 success", UpstreamCounts(total: 2, success: 2)),
        ("2 failed", UpstreamCounts(total: 2, failed: 2)),
        ("2 skipped", UpstreamCounts(total: 2, skipped: 2)),
        ("success + failed", UpstreamCounts(total: 2, success: 1, failed: 1)),
        ("success + skipped", UpstreamCounts(total: 2, success: 1, skipped: 1)),
        ("failed + skipped", UpstreamCounts(total: 2, failed: 1, skipped: 1)),
        ("upstream_failed + success", UpstreamCounts(total: 2, success: 1, upstreamFailed: 1)),
    ]

    // Columns follow `situations` in order.
    static let expected: [TriggerRule: [TriggerDecision]] = [
        .allSuccess: [
            .wait, .wait, .upstreamFailed, .skip, .run, .upstreamFailed, .skip, .upstreamFailed, .skip, .upstreamFailed, .upstreamFailed,
        ],
        .allFailed: [.wait, .skip, .wait, .skip, .skip, .run, .skip, .skip, .skip, .skip, .skip],
        .allDone: [.wait, .wait, .wait, .wait, .run, .run, .run, .run, .run, .run, .run],
        .allDoneMinOneSuccess: [.wait, .wait, .wait, .wait, .run, .upstreamFailed, .skip, .run, .run, .upstreamFailed, .run],
        .allSkipped: [.wait, .skip, .skip, .wait, .skip, .skip, .run, .skip, .skip, .skip, .skip],
        .oneSuccess: [.wait, .run, .wait, .wait, .run, .upstreamFailed, .skip, .run, .run, .upstreamFailed, .run],
        .oneFailed: [.wait, .wait, .run, .wait, .skip, .run, .skip, .run, .skip, .run, .run],
        .oneDone: [.wait, .run, .run, .wait, .run, .run, .skip, .run, .run, .run, .run],
        .noneFailed: [
            .wait, .wait, .upstreamFailed, .wait, .run, .upstreamFailed, .run, .upstreamFailed, .run, .upstreamFailed, .upstreamFailed,
        ],
        .noneFailedMinOneSuccess: [
            .wait, .wait, .upstreamFailed, .wait, .run, .upstreamFailed, .skip, .upstreamFailed, .run, .upstreamFailed, .upstreamFailed,
        ],
        .noneSkipped: [.wait, .wait, .wait, .skip, .run, .run, .skip, .run, .skip, .skip, .run],
        .always: Array(repeating: .run, count: 11),
    ]

    @Test(arguments: TriggerRule.allCases)
    func truthTable(_ rule: TriggerRule) throws {
        let row = try #require(Self.expected[rule], "no truth table for \(rule.rawValue)")
        for (index, situation) in Self.situations.enumerated() {
            #expect(rule.evaluate(situation.counts) == row[index], "\(rule.rawValue) with \(situation.situation)")
        }
    }

    @Test func everyRuleRunsWithoutUpstream() {
        for rule in TriggerRule.allCases { #expect(rule.evaluate(UpstreamCounts(total: 0)) == .run) }
    }

    @Test func rawValuesAreAirflowNames() {
        #expect(TriggerRule.allCases.count == 12)
        #expect(TriggerRule(rawValue: "none_failed_min_one_success") == .noneFailedMinOneSuccess)
        #expect(TriggerRule(rawValue: "all_done_min_one_success") == .allDoneMinOneSuccess)
    }
}
