/// TA-Lib 0.8.x–exact technical indicators over whole series.
///
/// Every function returns arrays as long as its input; the leading `lookback` values are
/// `.nan`, as ta-lib-python returns them. The values match TA-Lib C 0.8.1 (PyPI `ta-lib`
/// 0.8.2) to within 1e-9 relative, most of them bit for bit. For incremental updates use the
/// matching `…State` type (`SMAState`, `MACDState`, …) or `IndicatorStream`.
///
/// ```swift
/// let sma = TA.sma(closes, period: 20)
/// let (macd, signal, histogram) = TA.macd(closes, fast: 12, slow: 26, signal: 9)
/// ```
public enum TA {
    /// Simple moving average (`TA_SMA`); lookback `period - 1`.
    public static func sma(_ x: [Double], period: Int) -> [Double] {
        var state = SMAState(period: period)
        return state.append(x)
    }

    /// Exponential moving average seeded with the SMA of the first `period` values (`TA_EMA`);
    /// lookback `period - 1`.
    public static func ema(_ x: [Double], period: Int) -> [Double] {
        var state = EMAState(period: period)
        return state.append(x)
    }

    /// Wilder's relative strength index (`TA_RSI`); lookback `period`.
    public static func rsi(_ x: [Double], period: Int) -> [Double] {
        var state = RSIState(period: period)
        return state.append(x)
    }

    /// MACD line, signal and histogram (`TA_MACD`); lookback `(slow - 1) + (signal - 1)`.
    public static func macd(
        _ x: [Double], fast: Int, slow: Int, signal: Int
    )
        -> (macd: [Double], signal: [Double], histogram: [Double])
    {
        var state = MACDState(fast: fast, slow: slow, signal: signal)
        return state.append(x)
    }

    /// Bollinger Bands around an SMA (`TA_BBANDS` with `TA_MAType_SMA`); lookback `period - 1`.
    public static func bbands(
        _ x: [Double], period: Int, deviationsUp: Double, deviationsDown: Double
    )
        -> (upper: [Double], middle: [Double], lower: [Double])
    {
        var state = BollingerState(period: period, deviationsUp: deviationsUp, deviationsDown: deviationsDown)
        return state.append(x)
    }

    /// Average true range with Wilder smoothing (`TA_ATR`); lookback `period`.
    public static func atr(high: [Double], low: [Double], close: [Double], period: Int) -> [Double] {
        var state = ATRState(period: period)
        return state.append(high: high, low: low, close: close)
    }

    /// On-balance volume (`TA_OBV`), starting at the first bar's volume; lookback 0.
    public static func obv(close: [Double], volume: [Double]) -> [Double] {
        var state = OBVState()
        return state.append(close: close, volume: volume)
    }

    /// Volume-weighted average price, cumulative over the whole input (`TA_VWAP`, 0.8.1);
    /// lookback 0.
    public static func vwap(high: [Double], low: [Double], close: [Double], volume: [Double]) -> [Double] {
        var state = VWAPState()
        return state.append(high: high, low: low, close: close, volume: volume)
    }

    /// Slow stochastic with SMA smoothing (`TA_STOCH`); TA-Lib's defaults are 5, 3, 3.
    /// Lookback `(fastK - 1) + (slowK - 1) + (slowD - 1)`.
    public static func stoch(
        high: [Double], low: [Double], close: [Double],
        fastK: Int = 5, slowK: Int = 3, slowD: Int = 3
    ) -> (k: [Double], d: [Double]) {
        var state = StochasticState(fastK: fastK, slowK: slowK, slowD: slowD)
        return state.append(high: high, low: low, close: close)
    }

    /// Average directional index (`TA_ADX`); lookback `2 * period - 1`.
    public static func adx(high: [Double], low: [Double], close: [Double], period: Int) -> [Double] {
        var state = ADXState(period: period)
        return state.append(high: high, low: low, close: close)
    }
}
