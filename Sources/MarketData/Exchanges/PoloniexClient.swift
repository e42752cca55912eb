import Foundation
import UpdraftHTTP

/// Poloniex spot public market data: `GET /markets` and `GET /markets/{symbol}/candles` (at most
/// 500 candles a request, `startTime`/`endTime` in ms), paged forward by windows of 500 candles.
///
/// ```swift
/// let poloniex = PoloniexClient(configuration: .init(baseURL: "https://api.poloniex.com"))
/// try await poloniex.candles(symbol: "BTC_USDT", interval: .oneMinute, start: from, end: to) { page in … }
/// ```
public struct PoloniexClient: ExchangeClient, PublicExchangeDefaults {
    /// Where and how to call Poloniex (its real host and limits by default).
    public typealias Configuration = ExchangeClientConfiguration<PoloniexClient>
    /// Poloniex's real API base.
    public static let defaultBaseURL = "https://api.poloniex.com"

    /// 500 candles a request (the SDK's documented maximum); 10 market-data calls a second.
    public static let limits = ExchangeLimits(
        recordsPerRequest: 500, pageUnit: .candles, rateLimit: RateLimit(capacity: 10, window: .seconds(1)),
        requestWeight: 1, timeUnit: "ms")

    /// The configuration in use.
    public let configuration: Configuration
    private let http: HTTPClient

    /// A client over `http`.
    public init(configuration: Configuration = Configuration(), http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    public var exchange: ExchangeID { .poloniex }
    public var limits: ExchangeLimits { Self.limits }

    /// `GET /markets`.
    public func symbols() async throws -> [ExchangeSymbol] {
        let url = configuration.baseURL + "/markets"
        return try PoloniexJSON.markets(try await get(url), url: url)
    }

    /// One `GET /markets/{symbol}/candles` request: candles opening in [startTime, endTime] (ms),
    /// oldest first, at most `limit`.
    public func candlePage(
        symbol: String, interval: KlineInterval, startTime: Int64, endTime: Int64, limit: Int = limits.recordsPerRequest
    ) async throws -> [Kline] {
        let base = configuration.baseURL + "/markets/\(CoinGeckoClient.encode(symbol))/candles"
        guard let name = PoloniexJSON.intervalName(interval) else {
            throw ExchangeError(exchange: .poloniex, url: base, code: nil, message: "Poloniex has no \(interval.rawValue) candles")
        }
        let step = try ExchangeTime.step(interval, exchange: .poloniex, url: base)
        let url =
            base + "?interval=\(name)&startTime=\(startTime)&endTime=\(endTime)"
            + "&limit=\(min(Self.limits.recordsPerRequest, max(1, limit)))"
        return try PoloniexJSON.candles(try await get(url), url: url, step: step)
    }

    /// Closed candles in [start, end), requested in windows of 500 candles.
    @discardableResult
    public func candles(
        symbol: String, interval: KlineInterval, start: Date, end: Date,
        _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int {
        let step = try ExchangeTime.step(interval, exchange: .poloniex, url: configuration.baseURL + "/markets")
        return try await ExchangeTime.windows(
            start: start, end: end, now: configuration.now(), step: step, perRequest: Self.limits.recordsPerRequest,
            fetch: { from, to in
                try await candlePage(symbol: symbol, interval: interval, startTime: from / 1_000, endTime: to / 1_000 - 1)
            }, body)
    }

    private func get(_ url: String) async throws -> [UInt8] {
        do {
            return try await http.get(HTTPRequest(url: url, weight: 1, rateLimit: configuration.rateLimit)).body
        } catch {
            if let refusal = PoloniexJSON.refusal(error.body, url: url, status: error.status) { throw refusal }
            throw error
        }
    }
}
