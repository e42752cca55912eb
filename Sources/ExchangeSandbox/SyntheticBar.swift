/// One synthetic candle in Binance's units: times in milliseconds, prices and volumes as integers
/// scaled by 10^8 (Binance's 8-decimal text, exactly).
struct SyntheticBar: Sendable, Hashable {
    var openTime: Int64
    var closeTime: Int64
    var open: Int64
    var high: Int64
    var low: Int64
    var close: Int64
    var volume: Int64
    var quoteVolume: Int64
    var trades: Int64
    var takerBuyBaseVolume: Int64
    var takerBuyQuoteVolume: Int64

    /// Bars merged into one of a longer interval (`closeTime` set by the caller).
    static func merge(_ bars: ArraySlice<SyntheticBar>, openTime: Int64, intervalMilliseconds: Int64) -> SyntheticBar? {
        guard let first = bars.first, let last = bars.last else { return nil }
        var merged = first
        merged.openTime = openTime
        merged.closeTime = openTime + intervalMilliseconds - 1
        merged.close = last.close
        for bar in bars.dropFirst() {
            merged.high = max(merged.high, bar.high)
            merged.low = min(merged.low, bar.low)
            merged.volume += bar.volume
            merged.quoteVolume += bar.quoteVolume
            merged.trades += bar.trades
            merged.takerBuyBaseVolume += bar.takerBuyBaseVolume
            merged.takerBuyQuoteVolume += bar.takerBuyQuoteVolume
        }
        return merged
    }
}

/// Formats a 10^8-scaled integer as Binance's 8-decimal text (`7195.24000000`).
func decimalText(_ units: Int64) -> String {
    let negative = units < 0
    let magnitude = units.magnitude
    let whole = magnitude / 100_000_000
    let fraction = String(magnitude % 100_000_000)
    return (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 8 - fraction.count) + fraction
}
