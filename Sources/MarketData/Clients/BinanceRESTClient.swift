import Foundation
import UpdraftHTTP

/// Binance spot REST market data: `exchangeInfo` and `klines`, within the 6,000-weight-per-minute
/// budget shared by the whole process.
///
/// ```swift
/// let binance = BinanceRESTClient()
/// let pairs = try await binance.usdtPairs()                    // live …USDT spot pairs
/// let day = try await binance.historical(symbol: "BTCUSDT", start: from, end: to, interval: .oneMinute)
/// ```
public struct BinanceRESTClient: Sendable {
    /// Where and how to call Binance.
    public struct Configuration: Sendable {
        /// API base: `https://api.binance.com` (or `https://data-api.binance.vision`, or a sandbox).
        public var baseURL: String
        /// The host's weight budget (6,000 per minute, synced from `X-MBX-USED-WEIGHT-1M`).
        public var rateLimit: RateLimit
        /// The clock that decides which bar is still open (the sandbox's "now" in tests).
        public var now: @Sendable () -> Date

        /// A configuration with Binance's real host and limits by default.
        public init(
            baseURL: String = "https://api.binance.com", rateLimit: RateLimit = .binance,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.rateLimit = rateLimit
            self.now = now
        }
    }

    /// Candles per klines request (Binance's maximum).
    public static let pageSize = 1_000

    /// The configuration in use.
    public let configuration: Configuration
    private let http: HTTPClient

    /// A client over `http` (a shared client by default, so its host budget is process-wide).
    public init(configuration: Configuration = Configuration(), http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    /// Every symbol of `GET /api/v3/exchangeInfo` (weight 20).
    public func exchangeInfo() async throws -> [BinanceSymbol] {
        struct Body: Decodable { var symbols: [BinanceSymbol] }
        let url = configuration.baseURL + "/api/v3/exchangeInfo"
        let response = try await http.get(HTTPRequest(url: url, weight: 20, rateLimit: configuration.rateLimit))
        do {
            return try JSONDecoder().decode(Body.self, from: Data(response.body)).symbols
        } catch {
            throw ClientResponseError(source: url, reason: "not an exchangeInfo document: \(CoinGeckoClient.describe(error))")
        }
    }

    /// The live USDT spot pairs (`quoteAsset USDT`, `status TRADING`, spot trading allowed).
    public func usdtPairs() async throws -> Set<String> {
        try await livePairs(quote: "USDT")
    }

    /// The live spot pairs quoted in `quote` (`BTC`, `FDUSD`…): `status TRADING`, spot trading allowed.
    public func livePairs(quote: String) async throws -> Set<String> {
        Set(
            try await exchangeInfo().filter { $0.quoteAsset == quote.uppercased() && $0.status == "TRADING" && $0.isSpotTradingAllowed }
                .map(\.symbol))
    }

    /// One `GET /api/v3/klines` page (weight 2): up to `limit` bars opening in [start, end] (µs,
    /// either optional), oldest first, still-open bar included.
    public func klines(
        symbol: String, interval: KlineInterval, start: Int64? = nil, end: Int64? = nil,
        limit: Int = pageSize
    ) async throws -> [Kline] {
        var url =
            configuration.baseURL + "/api/v3/klines?symbol=\(CoinGeckoClient.encode(symbol))"
            + "&interval=\(interval.restName)&limit=\(min(Self.pageSize, max(1, limit)))"
        if let start { url += "&startTime=\(start / 1000)" }
        if let end { url += "&endTime=\(end / 1000)" }
        let response = try await http.get(HTTPRequest(url: url, weight: 2, rateLimit: configuration.rateLimit))
        return try BinanceKlineJSON.decode(response.body, source: url)
    }

    /// Closed bars opening in [start, end), fetched 1,000 a request; the still-open bar (closing
    /// after the configured now) is dropped. `onPage` sees each page as it arrives.
    public func historical(
        symbol: String, start: Date, end: Date, interval: KlineInterval,
        onPage: @Sendable ([Kline]) async throws -> Void = { _ in }
    ) async throws -> [Kline] {
        let collected = KlineCollector()
        try await pages(symbol: symbol, start: start, end: end, interval: interval) { page in
            try await onPage(page)
            await collected.append(page)
        }
        return await collected.klines
    }

    /// Like `historical`, but hands each page of closed bars to `body` without keeping them;
    /// returns how many bars it handed over.
    @discardableResult
    public func pages(
        symbol: String, start: Date, end: Date, interval: KlineInterval,
        _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int {
        let endMicros = Self.micros(end)
        var cursor = Self.micros(start)
        let nowMicros = Self.micros(configuration.now())
        var count = 0
        while cursor < endMicros {
            let page = try await klines(
                symbol: symbol, interval: interval, start: cursor, end: endMicros - 1,
                limit: Self.pageSize)
            let closed = page.filter { $0.openTime >= cursor && $0.openTime < endMicros && $0.closeTime < nowMicros }
            if !closed.isEmpty { try await body(closed) }
            count += closed.count
            guard page.count == Self.pageSize, let last = page.last else { break }
            let next = interval.nextOpenTime(after: last.openTime)
            guard next > cursor else { break }
            cursor = next
        }
        return count
    }

    static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}

/// Pages gathered by `historical`.
private actor KlineCollector {
    var klines: [Kline] = []
    func append(_ page: [Kline]) { klines += page }
}
