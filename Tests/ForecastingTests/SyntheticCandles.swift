import Foundation
import MarketData

@testable import Forecasting

/// Seeded one-minute candles whose log price mean-reverts (Ornstein–Uhlenbeck), so the
/// forward return is learnable from the past; `theta = 0` gives a random walk.
enum SyntheticCandles {
    static let start: Int64 = 1_735_689_600_000_000  // 2025-01-01T00:00:00Z in µs
    static let minute: Int64 = 60_000_000

    static func make(count: Int, seed: UInt64, theta: Double = 0.03, sigma: Double = 0.001) -> CandleSeries {
        var rng = SplitMix64(seed: seed)
        var logPrice = log(100.0)
        let mean = logPrice
        var previousClose = 100.0
        var times = [Int64](), open = [Double](), high = [Double](), low = [Double](), close = [Double](), volume = [Double]()
        for i in 0..<count {
            logPrice += -theta * (logPrice - mean) + sigma * rng.nextGaussian()
            let c = exp(logPrice)
            let o = previousClose
            times.append(start + Int64(i) * minute)
            open.append(o)
            close.append(c)
            high.append(max(o, c) * (1 + 0.0003 * abs(rng.nextGaussian())))
            low.append(min(o, c) * (1 - 0.0003 * abs(rng.nextGaussian())))
            volume.append(10 + 5 * abs(rng.nextGaussian()))
            previousClose = c
        }
        return CandleSeries(openTime: times, open: open, high: high, low: low, close: close, volume: volume)
    }

    /// The first `count` candles of `series`.
    static func prefix(_ series: CandleSeries, _ count: Int) -> CandleSeries {
        CandleSeries(
            openTime: Array(series.openTime.prefix(count)), open: Array(series.open.prefix(count)),
            high: Array(series.high.prefix(count)), low: Array(series.low.prefix(count)),
            close: Array(series.close.prefix(count)), volume: Array(series.volume.prefix(count)))
    }

    /// A fresh, empty home directory under the temporary directory.
    static func temporaryHome() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-forecasting-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
