import Foundation
import Testing

@testable import Indicators

/// Extending a series chunk by chunk gives bit-identical values to computing it at once.
@Suite struct IncrementalTests {
    static func identical(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static func bars(_ table: GoldenTable) -> OHLCV {
        let n = table.count
        return OHLCV(
            openTime: (0..<n).map { Int64($0) * 60_000_000 }, open: table["close"],
            high: table["high"], low: table["low"], close: table["close"], volume: table["volume"])
    }

    /// Split points: every bar through the longest lookback and beyond, then a spread to the end.
    static func splits(_ n: Int) -> [Int] {
        Array(Set(Array(0...min(n, 45)) + stride(from: 0, through: n, by: max(1, n / 40)) + [n - 1, n]))
            .filter { $0 >= 0 && $0 <= n }.sorted()
    }

    @Test(arguments: [
        "BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv", "SYNTHUSDT-1m-edge-cases.talib-c-0.8.1.csv",
        "cases/walk-flat-gaps.csv", "cases/walk-large-1e5.csv", "cases/short-27.csv",
    ])
    func standardStreamSplitAnywhereMatchesWholeSeries(file: String) throws {
        let bars = Self.bars(try GoldenTable.load(file))
        let whole = StandardIndicators.compute(bars)
        for split in Self.splits(bars.count) {
            var stream = IndicatorStream()
            let head = stream.append(bars.slice(0..<split))
            let tail = stream.append(bars.slice(split..<bars.count))
            let joined = head.appending(tail)
            #expect(stream.count == bars.count)
            for (index, name) in IndicatorSet.columns.enumerated() {
                #expect(Self.identical(joined.values[index], whole.values[index]), "\(file) \(name) split at \(split)")
            }
        }
    }

    /// Past `IndicatorStream.parallelBars` the indicators run in two lanes on two threads: the
    /// values are the same bits as one thread's, chunk by chunk below the threshold.
    @Test func twoLanesGiveTheSameBitsAsOneThread() throws {
        let base = Self.bars(try GoldenTable.load("BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv"))
        let n = IndicatorStream.parallelBars + 20_000
        // The day's candles again and again, each copy shifted up a little so windows differ.
        func column(_ values: [Double]) -> [Double] {
            (0..<n).map { (i: Int) -> Double in
                let copy = Double(i / values.count)
                return values[i % values.count] * (1 + copy * 1e-4)
            }
        }
        let bars = OHLCV(
            openTime: (0..<n).map { Int64($0) * 60_000_000 }, open: column(base.open), high: column(base.high),
            low: column(base.low), close: column(base.close), volume: column(base.volume))
        let whole = StandardIndicators.compute(bars)
        var stream = IndicatorStream()
        var chunked = stream.append(OHLCV())
        for start in stride(from: 0, to: n, by: 30_000) {
            chunked = chunked.appending(stream.append(bars.slice(start..<min(n, start + 30_000))))
        }
        for (index, name) in IndicatorSet.columns.enumerated() {
            #expect(Self.identical(chunked.values[index], whole.values[index]), "\(name)")
        }
    }

    /// The chunked append hands out the same bits, chunk after chunk, in its reused buffers,
    /// and leaves the stream where the plain append leaves it (one lane or two, any chunk size).
    @Test(arguments: [1, 7, 4_096, 65_536, 1_000_000])
    func chunkedAppendIntoReusedBuffersMatchesTheWhole(chunkBars: Int) throws {
        let base = Self.bars(try GoldenTable.load("BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv"))
        let small = Self.bars(try GoldenTable.load("SYNTHUSDT-1m-edge-cases.talib-c-0.8.1.csv"))
        let n = chunkBars >= 4_096 ? IndicatorStream.parallelBars + 20_000 : small.count
        func column(_ values: [Double]) -> [Double] {
            (0..<n).map { (i: Int) -> Double in
                let copy = Double(i / values.count)
                return values[i % values.count] * (1 + copy * 1e-4)
            }
        }
        let source = chunkBars >= 4_096 ? base : small
        let bars = OHLCV(
            openTime: (0..<n).map { Int64($0) * 60_000_000 }, open: column(source.open), high: column(source.high),
            low: column(source.low), close: column(source.close), volume: column(source.volume))
        // Resumed after a few bars, so the chunked part alone is past `parallelBars` (two lanes).
        let head = chunkBars >= 4_096 ? 1_000 : n / 3
        var plain = IndicatorStream()
        let whole = plain.append(bars)
        // Resumed from a stream that has seen the first third, as the DAG resumes from its checkpoint.
        var chunked = IndicatorStream()
        _ = chunked.append(bars.slice(0..<head))
        var got = Array(repeating: [Double](), count: IndicatorSet.columns.count)
        var expectedStart = head
        chunked.append(bars.slice(head..<n), chunkBars: chunkBars) { range, columns in
            #expect(range.lowerBound == expectedStart - head && range.count <= chunkBars)
            expectedStart += range.count
            for (index, values) in columns.enumerated() { got[index] += values }
        }
        #expect(expectedStart == n)
        #expect(chunkBars < 4_096 || n - head >= IndicatorStream.parallelBars)
        #expect(chunked == plain)
        for (index, name) in IndicatorSet.columns.enumerated() {
            #expect(Self.identical(got[index], Array(whole.values[index][head...])), "\(name), chunks of \(chunkBars)")
        }
    }

    @Test func standardStreamInSmallUnevenChunksMatchesWholeSeries() throws {
        let bars = Self.bars(try GoldenTable.load("SYNTHUSDT-1m-edge-cases.talib-c-0.8.1.csv"))
        let whole = StandardIndicators.compute(bars)
        var stream = IndicatorStream()
        var joined = stream.append(OHLCV())
        var start = 0, size = 1
        while start < bars.count {
            let end = min(bars.count, start + size)
            joined = joined.appending(stream.append(bars.slice(start..<end)))
            start = end
            size = size % 7 + 1
        }
        #expect(joined == whole || zip(joined.values, whole.values).allSatisfy { Self.identical($0, $1) })
    }

    /// Each indicator state with the non-standard periods of the generated cases.
    @Test(arguments: [
        "btc-day-periods.csv", "edge-minimal-periods.csv", "edge-periods.csv", "btc-day-long-windows.csv",
        "btc-day-slow-fast-swapped.csv",
    ])
    func everyStateSplitAnywhereMatchesWholeSeries(file: String) throws {
        let table = try GoldenTable.load("cases/" + file)
        let h = table["high"], l = table["low"], c = table["close"], v = table["volume"]
        let whole = TAGoldenTests.caseOutputs(table)
        let m = table.parameter("macd"), s = table.parameter("stoch"), b = table.parameters["bbands"]!
        for split in Self.splits(c.count) {
            func two<T>(_ state: T, _ step: (inout T, Range<Int>) -> [[Double]]) -> [[Double]] {
                var state = state
                let head = step(&state, 0..<split), tail = step(&state, split..<c.count)
                return zip(head, tail).map { $0 + $1 }
            }
            let results: [String: [Double]] = [
                "sma": two(SMAState(period: table.parameter("sma")[0])) { [$0.append(Array(c[$1]))] }[0],
                "ema": two(EMAState(period: table.parameter("ema")[0])) { [$0.append(Array(c[$1]))] }[0],
                "rsi": two(RSIState(period: table.parameter("rsi")[0])) { [$0.append(Array(c[$1]))] }[0],
                "atr": two(ATRState(period: table.parameter("atr")[0])) {
                    [$0.append(high: Array(h[$1]), low: Array(l[$1]), close: Array(c[$1]))]
                }[0],
                "adx": two(ADXState(period: table.parameter("adx")[0])) {
                    [$0.append(high: Array(h[$1]), low: Array(l[$1]), close: Array(c[$1]))]
                }[0],
                "obv": two(OBVState()) { [$0.append(close: Array(c[$1]), volume: Array(v[$1]))] }[0],
                "vwap": two(VWAPState()) {
                    [$0.append(high: Array(h[$1]), low: Array(l[$1]), close: Array(c[$1]), volume: Array(v[$1]))]
                }[0],
            ]
            let macd = two(MACDState(fast: m[0], slow: m[1], signal: m[2])) {
                let r = $0.append(Array(c[$1])); return [r.macd, r.signal, r.histogram]
            }
            let bands = two(BollingerState(period: Int(b[0]), deviationsUp: b[1], deviationsDown: b[2])) {
                let r = $0.append(Array(c[$1])); return [r.upper, r.middle, r.lower]
            }
            let stoch = two(StochasticState(fastK: s[0], slowK: s[1], slowD: s[2])) {
                let r = $0.append(high: Array(h[$1]), low: Array(l[$1]), close: Array(c[$1])); return [r.k, r.d]
            }
            var all = results
            for (name, values) in zip(["macd", "macd_signal", "macd_hist"], macd) { all[name] = values }
            for (name, values) in zip(["bb_upper", "bb_middle", "bb_lower"], bands) { all[name] = values }
            for (name, values) in zip(["stoch_k", "stoch_d"], stoch) { all[name] = values }
            #expect(all.count == whole.count)
            for (name, values) in all {
                #expect(Self.identical(values, whole[name]!), "\(file) \(name) split at \(split)")
            }
        }
    }

    @Test func streamSavedAsJSONResumesExactly() throws {
        let bars = Self.bars(try GoldenTable.load("BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv"))
        let whole = StandardIndicators.compute(bars)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        for split in [0, 3, 30, 700, 1_439] {
            var stream = IndicatorStream()
            let head = stream.append(bars.slice(0..<split))
            var resumed = try decoder.decode(IndicatorStream.self, from: encoder.encode(stream))
            #expect(resumed == stream)
            let tail = resumed.append(bars.slice(split..<bars.count))
            let joined = head.appending(tail)
            for index in IndicatorSet.columns.indices {
                #expect(Self.identical(joined.values[index], whole.values[index]), "split \(split) column \(index)")
            }
        }
    }
}
