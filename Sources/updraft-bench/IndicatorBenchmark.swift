import Foundation
import Indicators

#if canImport(Glibc)
import Glibc
#endif

/// Release benchmark of the indicators: the fifteen standard outputs over 1,000,000 synthetic
/// 1-minute candles, per indicator and in total, best of several runs.
///
/// `swift build -c release --product updraft-bench && .build/release/updraft-bench indicators`
enum IndicatorBenchmark {
    static let barCount = 1_000_000
    static let runs = 15

    @MainActor static func run() async throws {
        #if canImport(Glibc)
        // Keep freed output arrays in the heap, as a long-running worker does, so the figures
        // measure the computation rather than the kernel zeroing fresh pages after glibc trims
        // the heap (which it does once more than 2 × 8 MB is freed at its top).
        let pageReuse = CommandLine.arguments.contains("--fresh-pages") ? "fresh pages" : "heap reuse"
        if pageReuse == "heap reuse" {
            // glibc's mallopt (malloc.h is not in the Glibc module): M_TRIM_THRESHOLD = -1,
            // M_MMAP_THRESHOLD = -3 (32 MiB is its maximum).
            typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
                let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
                _ = mallopt(-1, 1 << 30)
                _ = mallopt(-3, 32 << 20)
            }
        }
        #else
        let pageReuse = "default allocator"
        #endif
        let bars = syntheticBars(barCount)
        let h = bars.high, l = bars.low, c = bars.close, v = bars.volume
        print("indicators: \(barCount) candles, best of \(runs) runs (release, \(pageReuse))")
        var sum = 0.0
        let cases: [(String, () -> Int)] = [
            ("SMA(20)", { checksum(TA.sma(c, period: 20)) }),
            ("EMA(20)", { checksum(TA.ema(c, period: 20)) }),
            ("RSI(14)", { checksum(TA.rsi(c, period: 14)) }),
            ("MACD(12,26,9)", { checksum(TA.macd(c, fast: 12, slow: 26, signal: 9).histogram) }),
            ("BBANDS(20,2,2)", { checksum(TA.bbands(c, period: 20, deviationsUp: 2, deviationsDown: 2).lower) }),
            ("ATR(14)", { checksum(TA.atr(high: h, low: l, close: c, period: 14)) }),
            ("OBV", { checksum(TA.obv(close: c, volume: v)) }),
            ("VWAP", { checksum(TA.vwap(high: h, low: l, close: c, volume: v)) }),
            ("STOCH(5,3,3)", { checksum(TA.stoch(high: h, low: l, close: c).d) }),
            ("ADX(14)", { checksum(TA.adx(high: h, low: l, close: c, period: 14)) }),
        ]
        for (name, body) in cases {
            let ms = best { body() }
            sum += ms
            print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(format(ms)) ms")
        }
        print("  sum of the ten calls  \(format(sum)) ms")
        let total = best { StandardIndicators.compute(bars).values.reduce(0) { $0 &+ checksum($1) } }
        print("  StandardIndicators.compute (all 15 outputs)  \(format(total)) ms")
        let split = best {
            var stream = IndicatorStream()
            let head = stream.append(bars.slice(0..<(barCount - 1_440)))
            let tail = stream.append(bars.slice((barCount - 1_440)..<barCount))
            return checksum(head.values[14]) &+ checksum(tail.values[14])
        }
        print("  IndicatorStream, 998,560 + 1,440 bars  \(format(split)) ms")
        let chunked = best {
            var stream = IndicatorStream()
            var sink = 0
            stream.append(bars) { _, columns in sink &+= columns.reduce(0) { $0 &+ checksum($1) } }
            return sink
        }
        print("  IndicatorStream.append in 65,536-bar chunks into reused buffers  \(format(chunked)) ms")
        // A fresh process each time, as a worker that computes once: every page is new.
        for mode in ["whole", "chunked"] {
            let fresh = (0..<7).compactMap { _ in freshProcessMilliseconds(mode) }.sorted()
            guard !fresh.isEmpty else { continue }
            let what =
                mode == "whole"
                ? "StandardIndicators.compute (120 MB of outputs)"
                : "IndicatorStream.append in chunks (the indicators DAG's way)"
            print(
                "  \(what) in a fresh process: median \(format(fresh[fresh.count / 2])) ms, min \(format(fresh[0])) ms (\(fresh.count) processes)"
            )
        }
    }

    /// `updraft-bench indicators-once [chunked]`: builds the bars, then times one
    /// `StandardIndicators.compute` (or one chunked `IndicatorStream.append`, whose consumer
    /// reads each chunk's last values, as the whole run's reads each column's last) in this new
    /// process and prints the milliseconds.
    static func once() {
        let bars = syntheticBars(barCount)
        let chunked = CommandLine.arguments.contains("chunked")
        let start = DispatchTime.now().uptimeNanoseconds
        var sink = 0
        if chunked {
            var stream = IndicatorStream()
            stream.append(bars) { _, columns in sink &+= columns.reduce(0) { $0 &+ checksum($1) } }
        } else {
            sink = StandardIndicators.compute(bars).values.reduce(0) { $0 &+ checksum($1) }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        precondition(sink != 0)
        print(elapsed)
    }

    /// Runs `indicators-once` in a child process, with the environment of a worker process, and
    /// reads its figure.
    static func freshProcessMilliseconds(_ mode: String) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["indicators-once", mode]
        // The environment a worker process gets (WorkerSpawner): huge pages for malloc.
        var environment = ProcessInfo.processInfo.environment
        if environment["GLIBC_TUNABLES"] == nil { environment["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1" }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Best wall time of `runs` calls, in milliseconds.
    static func best(_ body: () -> Int) -> Double {
        var best = Double.infinity
        var sink = 0
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            sink &+= body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            best = min(best, elapsed)
        }
        precondition(sink != 0)
        return best
    }

    /// Bits of the last value, so the optimizer cannot drop the computation.
    static func checksum(_ values: [Double]) -> Int {
        Int(truncatingIfNeeded: (values.last ?? 1).bitPattern | 1)
    }

    /// The same for a chunk's column.
    static func checksum(_ values: UnsafeBufferPointer<Double>) -> Int {
        Int(truncatingIfNeeded: (values.last ?? 1).bitPattern | 1)
    }

    static func format(_ ms: Double) -> String { String(format: "%7.2f", ms) }

    /// A reproducible random walk around 60,000 with bar ranges and volumes (xorshift64*).
    static func syntheticBars(_ n: Int) -> OHLCV {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) / Double(1 << 53)
        }
        var open = [Double](), high = [Double](), low = [Double](), close = [Double](), volume = [Double]()
        open.reserveCapacity(n); high.reserveCapacity(n); low.reserveCapacity(n)
        close.reserveCapacity(n); volume.reserveCapacity(n)
        var price = 60_000.0
        for _ in 0..<n {
            let next = (price * (1 + (uniform() - 0.5) * 0.002) * 100).rounded() / 100
            open.append(price)
            close.append(next)
            high.append(max(price, next) + (uniform() * 20).rounded() / 100)
            low.append(min(price, next) - (uniform() * 20).rounded() / 100)
            volume.append((uniform() * 1_000_000).rounded() / 100_000)
            price = next
        }
        let times = (0..<Int64(n)).map { $0 * 60_000_000 + 1_726_876_800_000_000 }
        return OHLCV(openTime: times, open: open, high: high, low: low, close: close, volume: volume)
    }
}
