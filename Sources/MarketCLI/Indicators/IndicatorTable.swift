import Foundation
import Indicators
import MarketData
import UpdraftCLI

/// The CSV written by `updraft indicators compute`: a header, then per bar (or per bucket)
/// `open_time`, the OHLCV text and the fifteen standard indicator columns.
struct IndicatorTable {
    /// `open_time,open,high,low,close,volume,` then `IndicatorSet.columns`.
    static let header = (["open_time", "open", "high", "low", "close", "volume"] + IndicatorSet.columns)
        .joined(separator: ",")

    var openTimes: [Int64]
    var fields: [[String]]
    var indicators: IndicatorSet
    /// Buckets that the input does not cover to their edges (with `--interval`).
    var partialRows: [Int] = []

    /// One row per kline of `file`.
    init(file: KlineInputFile) {
        let bars = Self.bars(file.klines)
        openTimes = file.klines.map { file.timeUnit.value(fromMicroseconds: $0.openTime) }
        fields = file.fields.map { $0.map(String.init) }
        indicators = StandardIndicators.compute(bars)
    }

    /// One row per UTC bucket of `interval`; OHLC text is that of the first, highest, lowest
    /// and last kline in the bucket, and the volume their exact decimal sum.
    init(file: KlineInputFile, interval: BarInterval) throws {
        let resampled = try CandleResampler.resample(Self.bars(file.klines), to: interval)
        openTimes = resampled.bars.openTime.map { file.timeUnit.value(fromMicroseconds: $0) }
        fields = resampled.sourceRanges.map { range in
            let klines = file.klines[range]
            let highest = klines.indices.max { klines[$0].high < klines[$1].high }!
            let lowest = klines.indices.min { klines[$0].low < klines[$1].low }!
            let volume = FixedDecimal(units: klines.reduce(0) { $0 + $1.volume.units })
            return [
                String(file.fields[range.lowerBound][0]), String(file.fields[highest][1]),
                String(file.fields[lowest][2]), String(file.fields[range.upperBound - 1][3]), volume.description,
            ]
        }
        indicators = StandardIndicators.compute(resampled.bars)
        partialRows = resampled.isPartial.indices.filter { resampled.isPartial[$0] }
    }

    static func bars(_ klines: [Kline]) -> OHLCV {
        OHLCV(
            openTime: klines.map(\.openTime), open: klines.map(\.open.doubleValue),
            high: klines.map(\.high.doubleValue), low: klines.map(\.low.doubleValue),
            close: klines.map(\.close.doubleValue), volume: klines.map(\.volume.doubleValue))
    }

    /// The CSV bytes; numbers in the shortest form that reads back as the same double, `NaN`
    /// where undefined.
    func csv() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((openTimes.count + 1) * 360)
        out += Array(Self.header.utf8)
        out.append(10)
        for row in 0..<openTimes.count {
            out += Array(String(openTimes[row]).utf8)
            for field in fields[row] {
                out.append(44)
                out += Array(field.utf8)
            }
            for column in indicators.values {
                out.append(44)
                let value = column[row]
                out += Array((value.isNaN ? "NaN" : value.description).utf8)
            }
            out.append(10)
        }
        return out
    }
}
