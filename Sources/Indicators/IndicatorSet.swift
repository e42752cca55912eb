/// The fifteen standard indicator outputs for a run of bars, by column name.
///
/// Columns, in order: `sma20, ema20, rsi14, macd, macd_signal, macd_hist, bb_upper, bb_middle,
/// bb_lower, atr14, obv, vwap, stoch_k, stoch_d, adx14` — SMA(20), EMA(20), RSI(14),
/// MACD(12, 26, 9), BBANDS(20, 2, 2, SMA), ATR(14), OBV, VWAP, STOCH(5, 3, SMA, 3, SMA), ADX(14).
/// Every column has one value per bar; `.nan` where TA-Lib has none.
///
/// ```swift
/// let set = StandardIndicators.compute(bars)
/// let rsi = set.column("rsi14")
/// ```
public struct IndicatorSet: Sendable, Equatable {
    /// The column names, in output order.
    public static let columns = [
        "sma20", "ema20", "rsi14", "macd", "macd_signal", "macd_hist", "bb_upper", "bb_middle",
        "bb_lower", "atr14", "obv", "vwap", "stoch_k", "stoch_d", "adx14",
    ]

    /// One array per column, in `columns` order.
    public private(set) var values: [[Double]]

    /// Creates a set from one array per column, in `columns` order, all the same length.
    public init(values: [[Double]]) {
        precondition(values.count == Self.columns.count, "IndicatorSet needs \(Self.columns.count) columns")
        precondition(values.allSatisfy { $0.count == values[0].count }, "IndicatorSet columns differ in length")
        self.values = values
    }

    /// Number of bars.
    public var count: Int { values[0].count }

    /// The values of column `name` (one of `columns`).
    public func column(_ name: String) -> [Double] {
        guard let index = Self.columns.firstIndex(of: name) else {
            preconditionFailure("unknown indicator column '\(name)'; known: \(Self.columns.joined(separator: ", "))")
        }
        return values[index]
    }

    /// The sets of consecutive runs of bars, joined.
    public func appending(_ next: IndicatorSet) -> IndicatorSet {
        IndicatorSet(values: zip(values, next.values).map { $0 + $1 })
    }
}
