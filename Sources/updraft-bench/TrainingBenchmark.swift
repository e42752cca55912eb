import Forecasting
import Foundation
import MarketData

/// Training and scoring speed: 10 symbols × 130,000 synthetic one-minute candles, default
/// `TrainingConfiguration` (all four model kinds, 4 walk-forward folds), into a temporary home.
enum TrainingBenchmark {
    static func run() async throws {
        let symbols = 10
        let candles = 130_000
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-bench-training-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let series = (0..<symbols).map { synthetic(count: candles, seed: UInt64($0 + 1)) }
        let now = Date(timeIntervalSince1970: Double(series[0].openTime.last! + 60_000_000) / 1e6)
        let clock = ContinuousClock()
        let cpuStart = processCPUNanoseconds()
        var trainTotal = Duration.zero
        var scoreTotal = Duration.zero
        for (i, candles) in series.enumerated() {
            var result: TrainingResult?
            trainTotal += try clock.measure {
                result = try forecaster.train(symbol: "SYM\(i)USDT", candles: candles, horizonMinutes: 60, now: now)
            }
            scoreTotal += try clock.measure {
                _ = try forecaster.score(symbol: "SYM\(i)USDT", candles: candles, now: now)
            }
            if i == 0, let result {
                for m in result.models {
                    print(
                        "  \(m.id): val MSE \(m.validation.mse) (zero \(m.baseline.mse)), R² \(m.validation.r2), dir \(m.validation.directionalAccuracy)"
                    )
                }
            }
        }
        let cpuSeconds = Double(processCPUNanoseconds() - cpuStart) / 1e9
        print(
            "training: \(symbols) symbols × \(candles) 1m candles, 4 model kinds, 4 folds: \(trainTotal) total, \(trainTotal / symbols) per symbol"
        )
        print("scoring:  \(symbols) symbols, 60 predictions each: \(scoreTotal) total")
        print("process CPU time for training and scoring: \(cpuSeconds) s (wall time above includes waiting for a busy machine)")
    }

    /// CPU time of this process, ns (all threads).
    static func processCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Mean-reverting log price (OU, θ = 0.01/min, σ = 0.001), seeded.
    static func synthetic(count: Int, seed: UInt64) -> CandleSeries {
        var rng = SplitMix64(seed: seed)
        var x = 0.0
        var previous = 100.0
        var t = [Int64](), o = [Double](), h = [Double](), l = [Double](), c = [Double](), v = [Double]()
        for i in 0..<count {
            x += -0.01 * x + 0.001 * rng.nextGaussian()
            let close = 100 * exp(x)
            t.append(1_735_689_600_000_000 + Int64(i) * 60_000_000)
            o.append(previous)
            c.append(close)
            h.append(max(previous, close) * 1.0002)
            l.append(min(previous, close) * 0.9998)
            v.append(10 + abs(rng.nextGaussian()))
            previous = close
        }
        return CandleSeries(openTime: t, open: o, high: h, low: l, close: c, volume: v)
    }
}
