import Indicators
import MarketData

/// The indicator-derived features, from the TA-Lib-exact indicators over the whole series
/// (every indicator is causal, so a value depends only on its candle and earlier ones).
struct IndicatorFeatures {
    let series: CandleSeries

    init(series: CandleSeries) {
        self.series = series
    }

    /// One of ``FeatureCatalogue/indicatorFeatures``, full length.
    func column(_ name: String) -> [Double] {
        let (close, high, low) = (series.close, series.high, series.low)
        switch name {
        case "rsi14": return TA.rsi(close, period: 14)
        case "stoch_k": return TA.stoch(high: high, low: low, close: close, fastK: 5, slowK: 3, slowD: 3).k
        case "stoch_d": return TA.stoch(high: high, low: low, close: close, fastK: 5, slowK: 3, slowD: 3).d
        case "adx14": return TA.adx(high: high, low: low, close: close, period: 14)
        case "macd_hist_rel":
            return zip(TA.macd(close, fast: 12, slow: 26, signal: 9).histogram, close).map { $0 / $1 }
        case "atr14_rel": return zip(TA.atr(high: high, low: low, close: close, period: 14), close).map { $0 / $1 }
        case "sma20_dist": return zip(close, TA.sma(close, period: 20)).map { $0 / $1 - 1 }
        case "ema20_dist": return zip(close, TA.ema(close, period: 20)).map { $0 / $1 - 1 }
        case "bb_pctb":
            let bands = TA.bbands(close, period: 20, deviationsUp: 2, deviationsDown: 2)
            return close.indices.map { i in
                let width = bands.upper[i] - bands.lower[i]
                if width.isNaN { return .nan }
                return width > 0 ? (close[i] - bands.lower[i]) / width : 0.5
            }
        case "obv_flow15": return Self.flow(obv: TA.obv(close: close, volume: series.volume), volume: series.volume, bars: 15)
        default: preconditionFailure("unknown indicator feature \(name)")
        }
    }

    /// `(obv[i] − obv[i − bars]) / Σ volume(i − bars + 1 … i)`, 0 when that volume is 0.
    static func flow(obv: [Double], volume: [Double], bars: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: obv.count)
        guard obv.count > bars else { return out }
        var windowVolume = volume[1...bars].reduce(0, +)
        for i in bars..<obv.count {
            if i > bars { windowVolume += volume[i] - volume[i - bars] }
            let change = obv[i] - obv[i - bars]
            if change.isNaN { continue }
            out[i] = windowVolume > 0 ? change / windowVolume : 0
        }
        return out
    }
}
