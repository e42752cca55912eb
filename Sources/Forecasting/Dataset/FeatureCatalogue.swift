import Foundation

/// Every feature Updraft can compute, by name. Each is a function of the candles up to and
/// including its own (never later ones), and scale-free so one model fits any price level.
///
/// - `ret_<k>m`: log return of the close over the last `k` minutes (found by time, so gaps give
///   an undefined value rather than a wrong one).
/// - `range_rel`: (high − low) / close of the candle.
/// - `volatility60`: population standard deviation of the last 60 one-bar log returns.
/// - Indicator features (TA-Lib definitions, periods in bars): `rsi14`, `macd_hist_rel`
///   (MACD histogram / close), `bb_pctb` (Bollinger %B, ½ when the bands are flat), `atr14_rel`
///   (ATR / close), `obv_flow15` (OBV change over 15 bars / volume over those bars), `sma20_dist`
///   and `ema20_dist` (close / average − 1), `stoch_k`, `stoch_d`, `adx14`.
public enum FeatureCatalogue {
    /// Features computed from the candles directly.
    public static let priceFeatures = ["range_rel", "volatility60"]
    /// Features computed from the standard indicators.
    public static let indicatorFeatures = [
        "rsi14", "macd_hist_rel", "bb_pctb", "atr14_rel", "obv_flow15", "sma20_dist", "ema20_dist",
        "stoch_k", "stoch_d", "adx14",
    ]

    /// The name of the lagged-return feature over `minutes`.
    public static func returnFeature(minutes: Int) -> String { "ret_\(minutes)m" }

    /// The lag in minutes if `name` is a lagged-return feature.
    static func returnLag(_ name: String) -> Int? {
        guard name.hasPrefix("ret_"), name.hasSuffix("m") else { return nil }
        guard let minutes = Int(name.dropFirst(4).dropLast()), minutes > 0 else { return nil }
        return minutes
    }

    /// Whether `name` is a feature this catalogue can compute.
    public static func isKnown(_ name: String) -> Bool {
        returnLag(name) != nil || priceFeatures.contains(name) || indicatorFeatures.contains(name)
    }
}
