import Foundation
import MarketData

/// One symbol's alert pass, as the `alerts` DAG runs it: reads the candles with indicators since
/// the last bar each rule evaluated (plus the bars the rules look back on), runs
/// ``AlertEvaluator``, and stores the firings and arm states in one transaction. A rule's first
/// pass over a symbol (or after its condition changed) starts ``firstPassMinutes`` before the
/// newest indicator bar, so a new rule does not replay the whole history.
///
/// ```swift
/// let new = try AlertScan.run(symbol: "BTCUSDT", rules: rules, stores: stores, horizonMinutes: 60, runId: ctx.runId)
/// for firing in new { ctx.notify(key: firing.notificationKey, …) }
/// ```
public enum AlertScan {
    /// How far back a rule's first pass over a symbol starts: one day.
    public static let firstPassMinutes: Int64 = 1_440

    /// The new firings of `rules` for `symbol` (those already stored are not returned again).
    public static func run(
        symbol: String, rules: [AlertRule], stores: MarketStores, horizonMinutes: Int, runId: String,
        now: Date = Date()
    ) throws -> [AlertStore.Firing] {
        let watching = rules.filter { $0.watches(symbol) }
        guard !watching.isEmpty, let checkpoint = try stores.indicators.checkpoint(symbol: symbol) else { return [] }
        let newest = checkpoint.lastOpenTime / 1_000  // ms
        let stored = try stores.alerts.states(symbol: symbol)
        var states: [AlertArmState] = watching.map { rule in
            if let kept = stored[rule.name], kept.condition == rule.condition.text { return kept.state }
            return AlertArmState(lastOpenTime: newest - firstPassMinutes * 60_000)
        }
        let start = states.map { $0.lastOpenTime ?? newest }.min() ?? newest
        guard start < newest else { return [] }
        let lookback = watching.map(\.condition.lookbackMinutes).max() ?? 0
        let bars = try MarketBars.load(
            symbol: symbol, from: (start - Int64(lookback) * 60_000) * 1_000, to: checkpoint.lastOpenTime + 1, stores: stores,
            horizonMinutes: horizonMinutes
        ).alertBars
        let lastPrediction = bars.last(where: { $0.prediction != nil })?.openTime
        var firings: [(rule: AlertRule, firing: AlertFiring)] = []
        for (index, rule) in watching.enumerated() {
            var evaluated = bars
            if case .predictionBeyond = rule.condition {
                // Predictions come after indicators: bars not predicted yet wait for a later pass.
                evaluated = bars.filter { $0.openTime <= (lastPrediction ?? .min) }
            }
            firings += AlertEvaluator.evaluate(rule, symbol: symbol, bars: evaluated, state: &states[index]).map { (rule, $0) }
        }
        return try stores.alerts.record(
            symbol: symbol, states: Array(zip(watching, states)).map { ($0, $1) }, firings: firings, runId: runId, now: now)
    }
}

extension AlertCondition {
    /// Minutes of earlier bars the condition reads.
    var lookbackMinutes: Int {
        switch self {
        case .priceMove(_, let minutes): minutes
        case .volumeSpike(_, let window): window
        default: 1
        }
    }
}

extension AlertStore.Firing {
    /// The notification's dedupe key: `alert:<rule>:<symbol>:<open time, ms>`.
    public var notificationKey: String { "alert:\(rule):\(symbol):\(openTime / 1_000)" }

    /// The notification's title and lines: symbol, rule, condition, value, candle time (UTC) and close.
    public var notificationTitle: String { "\(symbol): alert \(rule)" }
    public var notificationLines: [String] {
        [
            message, "symbol: \(symbol)", "rule: \(rule) (\(condition))", "value: \(AlertEvaluator.format(value))",
            "candle: \(Self.utc(openTime)) UTC", "close: \(close)",
        ]
    }

    /// `2024-03-10 12:34` for µs.
    static func utc(_ micros: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(micros: micros))
    }
}
