/// A run of missing bars: open times in [start, end) (µs) that have no row.
public struct KlineGap: Sendable, Equatable, Codable {
    /// Open time (µs) of the first missing bar.
    public var start: Int64
    /// Open time (µs) of the first bar after the gap (exclusive end).
    public var end: Int64
    /// Number of missing bars.
    public var missing: Int
}
