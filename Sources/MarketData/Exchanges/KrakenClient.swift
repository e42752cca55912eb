import Foundation
import UpdraftHTTP

/// Kraken spot public market data. History comes from `GET /0/public/Trades` (1,000 trades a
/// request, paged by the nanosecond `last` cursor) aggregated into candles, because
/// `GET /0/public/OHLC` returns only the latest 720 candles whatever `since` says (docs/exchanges.md);
/// ``ohlc(pair:interval:)`` reads those for a quick look at recent bars.
///
/// ```swift
/// let kraken = KrakenClient(configuration: .init(baseURL: "https://api.kraken.com"))
/// let pairs = try await kraken.symbols()                     // XXBTZUSD as BTC/USD …
/// try await kraken.candles(symbol: "XXBTZUSD", interval: .oneMinute, start: from, end: to) { page in … }
/// ```
public struct KrakenClient: ExchangeClient, PublicExchangeDefaults {
    /// Where and how to call Kraken (its real host and limits by default).
    public typealias Configuration = ExchangeClientConfiguration<KrakenClient>
    /// Kraken's real API base.
    public static let defaultBaseURL = "https://api.kraken.com"

    /// Trades a page (Kraken's maximum `count`), one call per second, `since` in nanoseconds.
    public static let limits = ExchangeLimits(
        recordsPerRequest: 1_000, pageUnit: .trades, rateLimit: RateLimit(capacity: 1, window: .seconds(1)),
        requestWeight: 1, timeUnit: "s (OHLC, trade times), ns (Trades cursor)")
    /// Candles `OHLC` returns at most, whatever `since` says.
    public static let ohlcDepth = 720

    /// The configuration in use.
    public let configuration: Configuration
    private let http: HTTPClient

    /// A client over `http`.
    public init(configuration: Configuration = Configuration(), http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    public var exchange: ExchangeID { .kraken }
    public var limits: ExchangeLimits { Self.limits }

    /// `GET /0/public/AssetPairs`.
    public func symbols() async throws -> [ExchangeSymbol] {
        let url = configuration.baseURL + "/0/public/AssetPairs"
        return try KrakenJSON.assetPairs(try await get(url), url: url)
    }

    /// `GET /0/public/OHLC`: the latest (at most 720) candles of `interval` minutes, the last one
    /// still open, as Kraken sends them.
    public func ohlc(pair: String, interval: KlineInterval) async throws -> [Kline] {
        let url = configuration.baseURL + "/0/public/OHLC?pair=\(CoinGeckoClient.encode(pair))"
        let step = try ExchangeTime.step(interval, exchange: .kraken, url: url)
        let query = url + "&interval=\(step / 60_000_000)"
        return try KrakenJSON.ohlc(try await get(query), url: query, interval: step).candles
    }

    /// One `GET /0/public/Trades` page from `since` (ns): trades after it, oldest first, and the
    /// cursor for the next page.
    public func trades(
        pair: String, since: Int64, count: Int = limits.recordsPerRequest
    ) async throws -> (trades: [ExchangeTrade], last: Int64?) {
        let url =
            configuration.baseURL + "/0/public/Trades?pair=\(CoinGeckoClient.encode(pair))&since=\(since)"
            + "&count=\(min(Self.limits.recordsPerRequest, max(1, count)))"
        let (trades, last) = try KrakenJSON.trades(try await get(url), url: url)
        return (trades, last.flatMap { Int64($0) })
    }

    /// Closed candles from trades: pages of 1,000 trades from `start` until a trade at or after
    /// `end` or the present; a bucket is handed over once a later trade (or the end) closes it.
    @discardableResult
    public func candles(
        symbol: String, interval: KlineInterval, start: Date, end: Date,
        _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int {
        let step = try ExchangeTime.step(interval, exchange: .kraken, url: configuration.baseURL + "/0/public/Trades")
        let startMicros = ExchangeTime.micros(start) / step * step
        let endMicros = ExchangeTime.micros(end)
        let nowMicros = ExchangeTime.micros(configuration.now())
        let limit = min(endMicros, nowMicros / step * step)
        var builder = TradeCandleBuilder(step: step)
        var cursor = startMicros * 1_000 - 1
        var handed = 0
        func flush(before openTime: Int64) async throws {
            let done = builder.take(openingBefore: openTime).filter { $0.openTime >= startMicros && $0.openTime + step <= limit }
            if !done.isEmpty {
                try await body(done)
                handed += done.count
            }
        }
        while cursor / 1_000 < limit {
            let page = try await trades(pair: symbol, since: cursor)
            for trade in page.trades where trade.time < limit { builder.add(trade) }
            let reached = page.trades.last?.time ?? limit
            guard page.trades.count == Self.limits.recordsPerRequest, let next = page.last, next > cursor, reached < limit else {
                break
            }
            try await flush(before: reached / step * step)
            cursor = next
        }
        try await flush(before: limit)
        return handed
    }

    private func get(_ url: String) async throws -> [UInt8] {
        do {
            return try await http.get(HTTPRequest(url: url, weight: 1, rateLimit: configuration.rateLimit)).body
        } catch {
            if error.body.isEmpty { throw error }
            _ = try KrakenJSON.result(error.body, url: url, status: error.status)
            throw error
        }
    }
}
