import Foundation
import MarketData

/// Full-length feature columns over a candle series (`.nan` where a value is undefined, e.g.
/// during an indicator's lookback), plus the forward-return target.
struct FeatureTable {
    var names: [String]
    var times: [Int64]
    /// One full-length column per name.
    var columns: [[Double]]

    /// Computes `names` over `series`; a name not in ``FeatureCatalogue`` is an error.
    init(series: CandleSeries, names: [String], barMicros: Int64) throws {
        let unknown = names.filter { !FeatureCatalogue.isKnown($0) }
        guard unknown.isEmpty else {
            throw ForecastingError.invalidDataset("unknown features \(unknown.joined(separator: ", "))")
        }
        self.names = names
        times = series.openTime
        let indicators =
            names.contains(where: FeatureCatalogue.indicatorFeatures.contains)
            ? IndicatorFeatures(series: series) : nil
        columns = names.map { name in
            if let minutes = FeatureCatalogue.returnLag(name) {
                return Self.logReturns(series, lagMicros: Int64(minutes) * 60_000_000, forward: false)
            }
            switch name {
            case "range_rel": return zip(zip(series.high, series.low), series.close).map { ($0.0 - $0.1) / $1 }
            case "volatility60": return Self.volatility(series.close, window: 60)
            default: return indicators!.column(name)
            }
        }
    }

    /// `log(close(t ± lag) / close(t))` style returns found by time: backward gives
    /// `log(close(t) / close(t − lag))`, forward gives `log(close(t + lag) / close(t))`.
    static func logReturns(_ series: CandleSeries, lagMicros: Int64, forward: Bool) -> [Double] {
        let t = series.openTime
        let close = series.close
        var out = [Double](repeating: .nan, count: t.count)
        var j = 0
        for i in 0..<t.count {
            let wanted = forward ? t[i] + lagMicros : t[i] - lagMicros
            while j < t.count && t[j] < wanted { j += 1 }
            guard j < t.count, t[j] == wanted else { continue }
            out[i] = forward ? log(close[j] / close[i]) : log(close[i] / close[j])
        }
        return out
    }

    /// Population standard deviation of the last `window` one-bar log returns.
    static func volatility(_ close: [Double], window: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: close.count)
        guard close.count > window else { return out }
        var returns = [Double](repeating: 0, count: close.count)
        for i in 1..<close.count { returns[i] = log(close[i] / close[i - 1]) }
        for i in window..<close.count {
            var mean = 0.0
            for k in (i - window + 1)...i { mean += returns[k] }
            mean /= Double(window)
            var variance = 0.0
            for k in (i - window + 1)...i { variance += (returns[k] - mean) * (returns[k] - mean) }
            out[i] = (variance / Double(window)).squareRoot()
        }
        return out
    }
}
