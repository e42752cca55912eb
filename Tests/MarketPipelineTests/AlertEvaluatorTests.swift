import Foundation
import MarketPipeline
import Testing

/// Every market rule on crafted candles, with its hysteresis: one firing per crossing, a second
/// only after the condition has been false, none while indicators warm up, none twice for bars
/// already evaluated.
@Suite struct AlertEvaluatorTests {
    static let t0: Int64 = 1_765_000_000_000 / 60_000 * 60_000

    /// Bars one minute apart from `t0`.
    static func bars(_ count: Int, _ make: (Int, inout AlertBar) -> Void) -> [AlertBar] {
        (0..<count).map { index in
            var bar = AlertBar(openTime: t0 + Int64(index) * 60_000, close: 100, volume: 10)
            make(index, &bar)
            return bar
        }
    }

    static func fire(_ condition: AlertCondition, _ bars: [AlertBar], state: inout AlertArmState) -> [Int] {
        AlertEvaluator.evaluate(AlertRule(name: "r", condition: condition), symbol: "BTCUSDT", bars: bars, state: &state)
            .map { Int(($0.openTime - t0) / 60_000) }
    }

    static func fire(_ condition: AlertCondition, _ bars: [AlertBar]) -> [Int] {
        var state = AlertArmState()
        return fire(condition, bars, state: &state)
    }

    @Test func aPriceMoveFiresOncePerExcursion() {
        // Flat, then +3 % from minute 10 to 13 (stays up), back to 100 at 20, up again at 30.
        let bars = Self.bars(40) { index, bar in
            bar.close = (10..<20).contains(index) || index >= 30 ? 103 : 100
        }
        #expect(Self.fire(.priceMove(percent: 2, minutes: 5), bars) == [10, 20, 30])  // up, down (−2.9 %), up again
        #expect(Self.fire(.priceMove(percent: 5, minutes: 5), bars).isEmpty)
    }

    @Test func rsiCrossingsFireOnceAndReArmOnlyAfterRecovering() {
        let rsi: [Double?] = [nil, nil, 50, 65, 72, 75, 71, 69, 68, 71, 80, 20, 25, 35]
        let bars = Self.bars(rsi.count) { index, bar in bar.rsi = rsi[index] }
        #expect(Self.fire(.rsiAbove(70), bars) == [4, 9])
        #expect(Self.fire(.rsiBelow(30), bars) == [11])
    }

    @Test func macdCrossingsFireEachWay() {
        let pairs: [(Double?, Double?)] = [(nil, nil), (1, 2), (1.5, 2), (2.5, 2), (3, 2), (1, 2), (1, 1), (2, 1)]
        let bars = Self.bars(pairs.count) { index, bar in
            bar.macd = pairs[index].0; bar.macdSignal = pairs[index].1
        }
        var state = AlertArmState()
        let firings = AlertEvaluator.evaluate(
            AlertRule(name: "macd", condition: .macdCrossesSignal), symbol: "ETHUSDT", bars: bars, state: &state)
        #expect(firings.map { Int(($0.openTime - Self.t0) / 60_000) } == [3, 5, 7])  // an equal bar (6) is no crossing
        #expect(firings[0].message == "ETHUSDT: MACD crossed above its signal (2.5 vs 2)")
    }

    @Test func aCloseOutsideTheBandsFiresOnceUntilItComesBack() {
        let closes: [Double] = [100, 111, 112, 105, 89, 88, 100]
        let bars = Self.bars(closes.count) { index, bar in
            bar.close = closes[index]; bar.bollingerUpper = 110; bar.bollingerLower = 90
        }
        // Above at 1 (and 2: no second firing), back inside at 3, below at 4.
        #expect(Self.fire(.outsideBollinger, bars) == [1, 4])
    }

    @Test func aVolumeSpikeIsMeasuredAgainstTheBarsBefore() {
        let volumes: [Double] = [10, 10, 10, 10, 35, 40, 10, 10, 10, 10, 31]
        let bars = Self.bars(volumes.count) { index, bar in bar.volume = volumes[index] }
        // Mean of the 4 bars before: 10 → 35 is 3.5×; then 40 vs mean 16.25 is 2.5× (still armed off).
        #expect(Self.fire(.volumeSpike(multiple: 3, window: 4), bars) == [4, 10])
    }

    @Test func aPredictionBeyondTheThresholdEitherWay() {
        let predictions: [Double?] = [nil, 0.001, 0.012, 0.02, 0.0, -0.015]
        let bars = Self.bars(predictions.count) { index, bar in bar.prediction = predictions[index] }
        #expect(Self.fire(.predictionBeyond(threshold: 0.01), bars) == [2, 5])
    }

    @Test func evaluatingAgainNeverFiresTheSameCandleTwiceAndContinuesTheHysteresis() {
        let closes: [Double] = [100, 111, 112, 105, 115]
        let bars = Self.bars(closes.count) { index, bar in
            bar.close = closes[index]; bar.bollingerUpper = 110; bar.bollingerLower = 90
        }
        var state = AlertArmState()
        #expect(Self.fire(.outsideBollinger, Array(bars.prefix(3)), state: &state) == [1])
        // The same bars again (a re-run): nothing; then the rest: back inside at 3, out again at 4.
        #expect(Self.fire(.outsideBollinger, Array(bars.prefix(3)), state: &state).isEmpty)
        #expect(Self.fire(.outsideBollinger, bars, state: &state) == [4])
    }

    @Test func aRuleForOtherSymbolsIgnoresThisOne() {
        var state = AlertArmState()
        let rule = AlertRule(name: "eth-only", symbols: ["ETHUSDT"], condition: .rsiAbove(70))
        let bars = Self.bars(3) { index, bar in bar.rsi = [60, 75, 80][index] }
        #expect(AlertEvaluator.evaluate(rule, symbol: "BTCUSDT", bars: bars, state: &state).isEmpty)
        #expect(AlertEvaluator.evaluate(rule, symbol: "ETHUSDT", bars: bars, state: &state).map(\.rule) == ["eth-only"])
    }
}
