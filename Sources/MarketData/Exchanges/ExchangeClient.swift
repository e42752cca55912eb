import Foundation

/// What the pipeline needs of an exchange: its markets, its closed candles over a range (paged within
/// its limits), and its limits. Adding an exchange is one file conforming to this and its sandbox
/// routes (docs/exchanges.md).
///
/// ```swift
/// let kucoin: any ExchangeClient = KuCoinClient(configuration: .init(baseURL: sandbox.kucoin))
/// let btc = try await kucoin.symbols().first { $0.pair.description == "BTC/USDT" }!
/// let written = try await kucoin.candles(symbol: btc.native, interval: .oneMinute, start: from, end: to) { page in
///     try warehouse.insert(page, exchange: .kucoin, symbol: btc.pair.binanceSymbol, interval: .oneMinute)
/// }
/// ```
public protocol ExchangeClient: Sendable {
    /// Which exchange this is.
    var exchange: ExchangeID { get }
    /// Its paging limit, rate limit and time unit.
    var limits: ExchangeLimits { get }
    /// Every market it lists, in canonical naming, trading or not.
    func symbols() async throws -> [ExchangeSymbol]
    /// Hands each page of closed candles of `symbol` (the exchange's own name) opening in
    /// [start, end) to `body`, oldest first, as normalised ``Kline`` values (µs times; fields the
    /// exchange does not report are zero, docs/exchanges.md); returns how many it handed over.
    /// A candle still open at the client's "now" is never handed over.
    @discardableResult
    func candles(
        symbol: String, interval: KlineInterval, start: Date, end: Date,
        _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int
}

extension ExchangeClient {
    /// The market named `pair` in canonical naming, or nil when the exchange does not list it.
    public func symbol(for pair: CanonicalPair) async throws -> ExchangeSymbol? {
        try await symbols().first { $0.pair == pair }
    }
}

/// Shared arithmetic of the clients: times and the closed-candle rule.
enum ExchangeTime {
    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    /// The fixed step of `interval` in µs; months have none, so clients other than Binance's refuse them.
    static func step(_ interval: KlineInterval, exchange: ExchangeID, url: String) throws -> Int64 {
        guard let step = interval.microseconds, interval != .oneSecond else {
            throw ExchangeError(
                exchange: exchange, url: url, code: nil, message: "interval \(interval.rawValue) is not served by this client")
        }
        return step
    }

    /// A candle of `step` µs opening at `openTime` has closed at `now` (µs).
    static func isClosed(openTime: Int64, step: Int64, now: Int64) -> Bool { openTime + step <= now }

    /// Closed candles opening in [start, end) (end capped at `now`'s last closed bucket), asked
    /// for by `fetch` in windows of `perRequest` candles, [window start, window end) in µs, oldest
    /// window first; each window's closed candles go to `body`. Returns how many it handed over.
    static func windows(
        start: Date, end: Date, now: Date, step: Int64, perRequest: Int,
        fetch: (_ from: Int64, _ to: Int64) async throws -> [Kline], _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int {
        let nowMicros = micros(now)
        let endMicros = min(micros(end), nowMicros / step * step)
        var cursor = (micros(start) + step - 1) / step * step
        var handed = 0
        while cursor < endMicros {
            let windowEnd = min(endMicros, cursor + Int64(perRequest) * step)
            let closed = try await fetch(cursor, windowEnd).filter {
                $0.openTime >= cursor && $0.openTime < windowEnd && isClosed(openTime: $0.openTime, step: step, now: nowMicros)
            }
            if !closed.isEmpty {
                try await body(closed)
                handed += closed.count
            }
            cursor = windowEnd
        }
        return handed
    }
}
