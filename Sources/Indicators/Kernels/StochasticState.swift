/// Incremental slow stochastic oscillator, exactly TA-Lib 0.8's `TA_STOCH` with SMA smoothing
/// for both %K and %D (TA-Lib's default `STOCH(h, l, c, 5, 3, SMA, 3, SMA)`).
///
/// Fast %K = `((close - lowest low) / (highest high - lowest low)) * 100` over `fastK` bars, 0
/// when the range is within 1e-14 of the extremes' magnitude (a flat window); slow %K is its
/// SMA over `slowK`; %D the SMA of slow %K over `slowD`. Both outputs start at the lookback
/// `(fastK - 1) + (slowK - 1) + (slowD - 1)`. Windows of up to 16 bars are scanned whole
/// each bar, which equals TA-Lib's rescan-when-an-extreme-leaves for finite prices (a NaN
/// price may be carried differently).
///
/// ```swift
/// var stoch = StochasticState(fastK: 5, slowK: 3, slowD: 3)
/// let (k, d) = stoch.append(high: highs, low: lows, close: closes)
/// ```
public struct StochasticState: Sendable, Equatable, Codable {
    /// Periods of the raw %K window and of the two SMA smoothings (each ≥ 1).
    public let fastK: Int, slowK: Int, slowD: Int
    /// Bars consumed so far.
    public private(set) var count = 0
    var lowest = 0.0, highest = 0.0
    /// Global bar indices of the current extremes.
    var lowestIndex = -1, highestIndex = -1
    var highTail: InputTail
    var lowTail: InputTail
    var kSmoothing: SMAState
    var dSmoothing: SMAState

    /// Creates the state; every period must be at least 1.
    public init(fastK: Int, slowK: Int, slowD: Int) {
        precondition(
            fastK >= 1 && slowK >= 1 && slowD >= 1,
            "STOCH periods must be ≥ 1, got \(fastK), \(slowK), \(slowD)")
        self.fastK = fastK
        self.slowK = slowK
        self.slowD = slowD
        highTail = InputTail(capacity: fastK - 1)
        lowTail = InputTail(capacity: fastK - 1)
        kSmoothing = SMAState(period: slowK)
        dSmoothing = SMAState(period: slowD)
    }

    /// Leading undefined outputs: `(fastK - 1) + (slowK - 1) + (slowD - 1)`.
    public var lookback: Int { fastK - 1 + slowK - 1 + slowD - 1 }

    /// Extends the series by these bars and returns slow %K and %D for them.
    public mutating func append(high: [Double], low: [Double], close: [Double]) -> (k: [Double], d: [Double]) {
        precondition(high.count == low.count && low.count == close.count, "STOCH inputs differ in length")
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    let (k, d) = OutputColumns.two(c.count) { run(high: h, low: l, close: c, k: $0, d: $1) }
                    return (k, d)
                }
            }
        }
    }

    mutating func run(
        high: UnsafeBufferPointer<Double>, low: UnsafeBufferPointer<Double>,
        close: UnsafeBufferPointer<Double>, k kOut: UnsafeMutablePointer<Double>,
        d dOut: UnsafeMutablePointer<Double>
    ) {
        let n = close.count
        guard n > 0, let h = high.baseAddress, let l = low.baseAddress, let c = close.baseAddress else { return }
        // Raw %K for the bars that have a full window; they start at chunk index `first`. The
        // outputs hold the intermediate columns (no temporaries: in a fresh process each would be
        // 8 MB of pages to zero per million bars): raw %K goes into `dOut`, slow %K, its SMA, into
        // `kOut`, then %D, the SMA of slow %K, over the raw values in `dOut`.
        let first = max(0, fastK - 1 - count)
        let rawCount = max(0, n - first)
        if rawCount > 0 {
            if fastK <= Self.directScanLimit {
                fillRawKByScanning(h, l, c, first: first, n: n, into: dOut + first)
            } else {
                fillRawK(h, l, c, first: first, n: n, into: dOut + first)
            }
        }
        kSmoothing.run(UnsafeBufferPointer(start: dOut + first, count: rawCount), into: kOut + first)
        let kDefinedFrom = min(rawCount, max(0, slowK - 1 - (kSmoothing.count - rawCount)))
        let slowDefined = max(0, rawCount - kDefinedFrom)
        dSmoothing.run(
            UnsafeBufferPointer(start: kOut + first + kDefinedFrom, count: slowDefined), into: dOut + first + kDefinedFrom)
        // Bars before the lookback show NaN (what was computed for them only fed the state).
        for i in 0..<min(n, max(0, lookback - count)) {
            kOut[i] = .nan
            dOut[i] = .nan
        }
        count += n
        highTail.absorb(high)
        lowTail.absorb(low)
    }

    /// Windows up to this length are scanned whole on every bar (branch-free selects), which
    /// for finite inputs gives the same extremes as TA-Lib's rescan-on-exit, without its
    /// unpredictable branches. Longer windows use TA-Lib's own scheme.
    static let directScanLimit = 16

    @inline(__always)
    static func fastK(close: Double, lowest: Double, highest: Double) -> Double {
        let range = highest - lowest
        return abs(range) <= 1e-14 * (abs(highest) + abs(lowest)) ? 0.0 : ((close - lowest) / range) * 100.0
    }

    private mutating func fillRawKByScanning(
        _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>,
        _ c: UnsafePointer<Double>, first: Int, n: Int,
        into raw: UnsafeMutablePointer<Double>
    ) {
        let span = fastK - 1
        highTail.values.withUnsafeBufferPointer { highs in
            lowTail.values.withUnsafeBufferPointer { lows in
                var i = first
                while i < n && i < span {
                    var lowest = element(i - span, l, lows), highest = element(i - span, h, highs)
                    for j in (i - span + 1)...i {
                        let low = element(j, l, lows), high = element(j, h, highs)
                        lowest = low < lowest ? low : lowest
                        highest = high > highest ? high : highest
                    }
                    raw[i - first] = Self.fastK(close: c[i], lowest: lowest, highest: highest)
                    i += 1
                }
                while i < n {
                    var lowest = l[i - span], highest = h[i - span]
                    var j = i - span + 1
                    while j <= i {
                        let low = l[j], high = h[j]
                        lowest = low < lowest ? low : lowest
                        highest = high > highest ? high : highest
                        j += 1
                    }
                    raw[i - first] = Self.fastK(close: c[i], lowest: lowest, highest: highest)
                    i += 1
                }
            }
        }
        // Leave the rescan bookkeeping pointing before the window, so a switch of scheme
        // (never happens for one state) or a later chunk rescans from scratch.
        lowestIndex = -1
        highestIndex = -1
    }

    /// TA-Lib's rolling extremes: rescan the window only when an extreme leaves it.
    private mutating func fillRawK(
        _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>,
        _ c: UnsafePointer<Double>, first: Int, n: Int,
        into raw: UnsafeMutablePointer<Double>
    ) {
        var lowest = self.lowest, highest = self.highest
        var lowestIndex = self.lowestIndex, highestIndex = self.highestIndex
        let base = count  // global index of chunk index 0
        let span = fastK - 1
        highTail.values.withUnsafeBufferPointer { highs in
            lowTail.values.withUnsafeBufferPointer { lows in
                for i in first..<n {
                    let trailing = base + i - span
                    if lowestIndex < trailing {
                        lowestIndex = trailing
                        lowest = element(i - span, l, lows)
                        var j = i - span + 1
                        while j <= i {
                            let value = element(j, l, lows)
                            if value < lowest {
                                lowestIndex = base + j
                                lowest = value
                            }
                            j += 1
                        }
                    } else if l[i] <= lowest {
                        lowestIndex = base + i
                        lowest = l[i]
                    }
                    if highestIndex < trailing {
                        highestIndex = trailing
                        highest = element(i - span, h, highs)
                        var j = i - span + 1
                        while j <= i {
                            let value = element(j, h, highs)
                            if value > highest {
                                highestIndex = base + j
                                highest = value
                            }
                            j += 1
                        }
                    } else if h[i] >= highest {
                        highestIndex = base + i
                        highest = h[i]
                    }
                    raw[i - first] = Self.fastK(close: c[i], lowest: lowest, highest: highest)
                }
            }
        }
        self.lowest = lowest
        self.highest = highest
        self.lowestIndex = lowestIndex
        self.highestIndex = highestIndex
    }
}
