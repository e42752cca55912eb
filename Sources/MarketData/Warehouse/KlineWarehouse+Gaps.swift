extension KlineWarehouse {
    /// Missing bars of a symbol and interval (missing minutes for `1m`). The range is
    /// [from, to) in µs; nil bounds default to the symbol's first bar and the bar after its
    /// last, so only inner gaps count. An empty range or a symbol with no rows and no bounds
    /// has no gaps. Bar open times are expected on the interval's grid (`from`, when given,
    /// should be on it too).
    public func gaps(
        symbol: String, interval: KlineInterval = .oneMinute,
        from: Int64? = nil, to: Int64? = nil
    ) throws -> [KlineGap] {
        let times = try openTimes(symbol: symbol, interval: interval, from: from, to: to)
        guard let start = from ?? times.first else { return [] }
        let end = to ?? interval.nextOpenTime(after: times.last!)
        var gaps: [KlineGap] = []
        var expected = start
        func addGap(until limit: Int64) {
            var missing = 0
            var cursor = expected
            while cursor < limit { missing += 1; cursor = interval.nextOpenTime(after: cursor) }
            if missing > 0 { gaps.append(KlineGap(start: expected, end: limit, missing: missing)) }
        }
        for time in times {
            if time > expected { addGap(until: time) }
            expected = interval.nextOpenTime(after: time)
        }
        if expected < end { addGap(until: end) }
        return gaps
    }
}
