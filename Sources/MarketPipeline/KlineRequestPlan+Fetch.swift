import Foundation
import MarketData

extension KlineRequestPlan {
    /// What one symbol's fetch wrote.
    public struct FetchResult: Sendable, Equatable {
        /// Candles written (new or replaced).
        public var written: Int
        /// Missing minutes forward-filled (0 unless asked).
        public var filled: Int
    }

    /// Runs the plan: each window is one request from `binance`; each page is written to
    /// `warehouse` as it arrives and the symbol's `last_updated_at` advances with it, so a retry
    /// resumes where a failed try stopped (windows wholly before `last_updated_at` are skipped).
    /// With `forwardFill`, the missing minutes of each window get zero-volume candles.
    public func fetch(
        from binance: BinanceRESTClient, into warehouse: KlineWarehouse, symbolID: String,
        forwardFill: Bool
    ) async throws -> FetchResult {
        let resumeFrom = try warehouse.lastUpdated(forSymbol: symbolID) ?? windows[0].start
        var result = FetchResult(written: 0, filled: 0)
        for window in windows where window.end > resumeFrom {
            try Task.checkCancellation()
            let start = max(window.start, resumeFrom)
            let candles = try await binance.historical(symbol: symbol, start: start, end: window.end, interval: .oneMinute)
            result.written += try warehouse.insert(candles, symbol: symbol, interval: .oneMinute)
            if forwardFill {
                result.filled += try warehouse.forwardFill(symbol: symbol, from: start.micros, to: window.end.micros)
            }
            if let last = candles.last {
                try warehouse.setLastUpdated(Date(micros: last.openTime + 60_000_000), forSymbol: symbolID)
            }
        }
        return result
    }

}
