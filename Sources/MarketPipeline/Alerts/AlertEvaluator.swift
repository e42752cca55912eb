import Foundation

/// Evaluates alert rules over bars, oldest first, with the rule's hysteresis. Pure: the bars and
/// the state in, the firings and the new state out; storing and sending them is the caller's.
public enum AlertEvaluator {
    /// The firings of `rule` for `symbol` over `bars` (oldest first; bars at or before
    /// `state.lastOpenTime` are skipped), updating `state`.
    public static func evaluate(_ rule: AlertRule, symbol: String, bars: [AlertBar], state: inout AlertArmState) -> [AlertFiring] {
        guard rule.watches(symbol) else { return [] }
        var firings: [AlertFiring] = []
        var closes: [Int64: Double] = [:]
        for bar in bars { closes[bar.openTime] = bar.close }
        for index in bars.indices {
            let bar = bars[index]
            if let last = state.lastOpenTime, bar.openTime <= last { continue }
            state.lastOpenTime = bar.openTime
            if case .macdCrossesSignal = rule.condition {
                guard let macd = bar.macd, let signal = bar.macdSignal, macd != signal else { continue }
                let side = macd > signal ? 1 : -1
                defer { state.side = side }
                guard let previous = state.side, previous != side else { continue }
                firings.append(
                    AlertFiring(
                        rule: rule.name, symbol: symbol, openTime: bar.openTime, close: bar.close, value: macd - signal,
                        message: "\(symbol): MACD crossed \(side > 0 ? "above" : "below") its signal (\(format(macd)) vs \(format(signal)))"
                    ))
                continue
            }
            guard let (holds, value, sentence) = measure(rule.condition, bar: bar, bars: bars, index: index, closes: closes) else {
                continue  // not enough data yet (indicators warming up, no earlier close): no change
            }
            if holds, state.armed {
                state.armed = false
                firings.append(
                    AlertFiring(
                        rule: rule.name, symbol: symbol, openTime: bar.openTime, close: bar.close, value: value,
                        message: symbol + ": " + sentence))
            } else if !holds {
                state.armed = true
            }
        }
        return firings
    }

    /// Whether the condition holds at `bars[index]`, the value measured and a sentence; nil when
    /// it cannot be told.
    static func measure(
        _ condition: AlertCondition, bar: AlertBar, bars: [AlertBar], index: Int, closes: [Int64: Double]
    ) -> (Bool, Double, String)? {
        switch condition {
        case .priceMove(let percent, let minutes):
            guard let earlier = closes[bar.openTime - Int64(minutes) * 60_000], earlier > 0 else { return nil }
            let move = (bar.close / earlier - 1) * 100
            return (abs(move) >= percent, move, "price moved \(format(move)) % in \(minutes) min (to \(format(bar.close)))")
        case .rsiAbove(let level):
            guard let rsi = bar.rsi else { return nil }
            return (rsi > level, rsi, "RSI crossed above \(format(level)) (\(format(rsi)))")
        case .rsiBelow(let level):
            guard let rsi = bar.rsi else { return nil }
            return (rsi < level, rsi, "RSI crossed below \(format(level)) (\(format(rsi)))")
        case .outsideBollinger:
            guard let upper = bar.bollingerUpper, let lower = bar.bollingerLower else { return nil }
            if bar.close > upper {
                return (true, bar.close - upper, "close \(format(bar.close)) above the upper Bollinger band \(format(upper))")
            }
            if bar.close < lower {
                return (true, lower - bar.close, "close \(format(bar.close)) below the lower Bollinger band \(format(lower))")
            }
            return (false, 0, "")
        case .volumeSpike(let multiple, let window):
            guard window > 0, index >= window else { return nil }
            let mean = bars[(index - window)..<index].reduce(0) { $0 + $1.volume } / Double(window)
            guard mean > 0 else { return nil }
            let ratio = bar.volume / mean
            return (ratio >= multiple, ratio, "volume \(format(ratio))× its \(window)-bar mean")
        case .predictionBeyond(let threshold):
            guard let prediction = bar.prediction else { return nil }
            return (abs(prediction) >= threshold, prediction, "predicted return \(format(prediction * 100)) %")
        case .macdCrossesSignal:
            return nil  // handled by its own crossing logic
        }
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
