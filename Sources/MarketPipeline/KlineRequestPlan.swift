import Foundation

/// The Binance REST requests `incremental` makes for one symbol: from the minute after its
/// `last_updated_at` up to the last closed minute, 1,000 one-minute candles a request.
public struct KlineRequestPlan: Codable, Sendable, Equatable {
    /// A `GET /api/v3/klines` window: candles opening in [start, end).
    public struct Window: Codable, Sendable, Equatable {
        public var start: Date
        public var end: Date
    }

    public var symbol: String
    public var windows: [Window]

    /// Candles per request (Binance's maximum) and the candle length.
    public static let candlesPerRequest = 1_000
    public static let candle: TimeInterval = 60

    /// The plan from `lastUpdated` (exclusive: the open time of the first missing candle) to
    /// `now`; empty when no full minute has closed since.
    public init(symbol: String, lastUpdated: Date, now: Date) {
        self.symbol = symbol
        let first = (lastUpdated.timeIntervalSince1970 / Self.candle).rounded(.up) * Self.candle
        let end = (now.timeIntervalSince1970 / Self.candle).rounded(.down) * Self.candle
        var windows: [Window] = []
        var cursor = first
        while cursor < end {
            let next = min(end, cursor + Double(Self.candlesPerRequest) * Self.candle)
            windows.append(Window(start: Date(timeIntervalSince1970: cursor), end: Date(timeIntervalSince1970: next)))
            cursor = next
        }
        self.windows = windows
    }

    /// The request weight of this plan (2 per klines request).
    public var weight: Int { windows.count * 2 }

    /// Splits plans into batches whose total weight fits `budget` (one minute of the host's limit,
    /// less headroom), keeping each symbol's windows whole where possible.
    public static func batches(_ plans: [KlineRequestPlan], weightBudget budget: Int) -> [[KlineRequestPlan]] {
        var batches: [[KlineRequestPlan]] = []
        var current: [KlineRequestPlan] = [], used = 0
        for plan in plans where !plan.windows.isEmpty {
            if used + plan.weight > budget, !current.isEmpty {
                batches.append(current); current = []; used = 0
            }
            current.append(plan); used += plan.weight
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
