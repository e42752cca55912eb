import Testing

@testable import Indicators

/// Every indicator against TA-Lib C 0.8.1 goldens (`ta-lib` 0.8.2 on PyPI).
@Suite struct TAGoldenTests {
    /// The fifteen standard outputs of a golden file with the standard periods.
    static func standardOutputs(_ table: GoldenTable) -> [String: [Double]] {
        let h = table["high"], l = table["low"], c = table["close"], v = table["volume"]
        let macd = TA.macd(c, fast: 12, slow: 26, signal: 9)
        let bands = TA.bbands(c, period: 20, deviationsUp: 2, deviationsDown: 2)
        let stoch = TA.stoch(high: h, low: l, close: c, fastK: 5, slowK: 3, slowD: 3)
        return [
            "sma20": TA.sma(c, period: 20), "ema20": TA.ema(c, period: 20), "rsi14": TA.rsi(c, period: 14),
            "macd": macd.macd, "macd_signal": macd.signal, "macd_hist": macd.histogram,
            "bb_upper": bands.upper, "bb_middle": bands.middle, "bb_lower": bands.lower,
            "atr14": TA.atr(high: h, low: l, close: c, period: 14), "obv": TA.obv(close: c, volume: v),
            "vwap": TA.vwap(high: h, low: l, close: c, volume: v), "stoch_k": stoch.k, "stoch_d": stoch.d,
            "adx14": TA.adx(high: h, low: l, close: c, period: 14),
        ]
    }

    /// The outputs of a generated case, with the periods named in its first line.
    static func caseOutputs(_ table: GoldenTable) -> [String: [Double]] {
        let h = table["high"], l = table["low"], c = table["close"], v = table["volume"]
        let m = table.parameter("macd"), s = table.parameter("stoch")
        let b = table.parameters["bbands"]!
        let macd = TA.macd(c, fast: m[0], slow: m[1], signal: m[2])
        let bands = TA.bbands(c, period: Int(b[0]), deviationsUp: b[1], deviationsDown: b[2])
        let stoch = TA.stoch(high: h, low: l, close: c, fastK: s[0], slowK: s[1], slowD: s[2])
        return [
            "sma": TA.sma(c, period: table.parameter("sma")[0]),
            "ema": TA.ema(c, period: table.parameter("ema")[0]),
            "rsi": TA.rsi(c, period: table.parameter("rsi")[0]),
            "macd": macd.macd, "macd_signal": macd.signal, "macd_hist": macd.histogram,
            "bb_upper": bands.upper, "bb_middle": bands.middle, "bb_lower": bands.lower,
            "atr": TA.atr(high: h, low: l, close: c, period: table.parameter("atr")[0]),
            "obv": TA.obv(close: c, volume: v), "vwap": TA.vwap(high: h, low: l, close: c, volume: v),
            "stoch_k": stoch.k, "stoch_d": stoch.d,
            "adx": TA.adx(high: h, low: l, close: c, period: table.parameter("adx")[0]),
        ]
    }

    @Test(arguments: ["BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv", "SYNTHUSDT-1m-edge-cases.talib-c-0.8.1.csv"])
    func standardPeriodsMatchTALib(file: String) throws {
        let table = try GoldenTable.load(file)
        for (column, values) in Self.standardOutputs(table).sorted(by: { $0.key < $1.key }) {
            let deviation = Deviation(values, table[column])
            #expect(deviation.matches(), "\(file) \(column): \(deviation)")
        }
    }

    @Test(arguments: try GoldenTable.caseNames())
    func generatedCasesMatchTALib(file: String) throws {
        let table = try GoldenTable.load("cases/" + file)
        for (column, values) in Self.caseOutputs(table).sorted(by: { $0.key < $1.key }) {
            let deviation = Deviation(values, table[column])
            #expect(deviation.matches(), "\(file) \(column): \(deviation)")
        }
    }
}

/// The standard set as one call, against the golden columns of the same names.
@Suite struct StandardIndicatorsTests {
    @Test(arguments: ["BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv", "SYNTHUSDT-1m-edge-cases.talib-c-0.8.1.csv"])
    func standardSetMatchesGoldenColumns(file: String) throws {
        let table = try GoldenTable.load(file)
        let set = StandardIndicators.compute(IncrementalTests.bars(table))
        #expect(set.count == table.count)
        for name in IndicatorSet.columns {
            let deviation = Deviation(set.column(name), table[name])
            #expect(deviation.maxRelative == 0 && deviation.nanMismatch == nil, "\(file) \(name): \(deviation)")
        }
    }

    @Test func emptyAndShortInputsGiveAllNaNOrCumulativeValues() {
        #expect(StandardIndicators.compute(OHLCV()).count == 0)
        #expect(TA.sma([], period: 20).isEmpty)
        let short = TA.rsi([1, 2, 3], period: 14)
        #expect(short.count == 3 && short.allSatisfy(\.isNaN))
        #expect(TA.obv(close: [1, 2, 1], volume: [5, 7, 11]) == [5, 12, 1])
        #expect(TA.vwap(high: [3, 3], low: [3, 3], close: [3, 6], volume: [0, 2]) == [0, 4])
    }
}
