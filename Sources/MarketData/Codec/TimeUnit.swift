/// The unit of the open and close times in a kline file.
public enum TimeUnit: String, Sendable, CaseIterable {
    /// Milliseconds: spot archives before 2025-01-01, REST responses, futures archives.
    case milliseconds = "ms"
    /// Microseconds: spot archives from 2025-01-01 on.
    case microseconds = "us"

    /// The first open time (µs) of Binance's microsecond era: 2025-01-01T00:00:00Z.
    public static let microsecondEraStart: Int64 = 1_735_689_600_000_000

    /// The unit Binance's spot archive uses for a row opening at `openTime` (µs).
    public static func archiveUnit(forOpenTime openTime: Int64) -> TimeUnit {
        openTime >= microsecondEraStart ? .microseconds : .milliseconds
    }

    /// Converts a raw file timestamp to µs, deciding the unit by magnitude:
    /// values ≥ 10^15 are µs, smaller ones ms (exact for both eras).
    @inline(__always)
    public static func microseconds(fromRaw value: Int64) -> Int64 {
        value >= 1_000_000_000_000_000 ? value : value &* 1000
    }

    /// Converts a µs timestamp to this unit (ms rounds toward negative infinity).
    public func value(fromMicroseconds value: Int64) -> Int64 {
        switch self {
        case .microseconds: value
        case .milliseconds: value >= 0 ? value / 1000 : (value - 999) / 1000
        }
    }
}
