import Foundation

/// Binance REST as an ``ExchangeClient``: `exchangeInfo` for the markets, `klines` pages of 1,000.
extension BinanceRESTClient: ExchangeClient {
    /// 1,000 klines a request, weight 2 each, 6,000 weight a minute.
    public static let limits = ExchangeLimits(
        recordsPerRequest: pageSize, pageUnit: .candles, rateLimit: .binance, requestWeight: 2, timeUnit: "ms")

    public var exchange: ExchangeID { .binance }
    public var limits: ExchangeLimits {
        var limits = Self.limits
        limits.rateLimit = configuration.rateLimit
        return limits
    }

    /// Every `exchangeInfo` symbol, trading when `status` is `TRADING` and spot trading is allowed.
    public func symbols() async throws -> [ExchangeSymbol] {
        try await exchangeInfo().map {
            ExchangeSymbol(
                exchange: .binance, pair: CanonicalPair(base: $0.baseAsset, quote: $0.quoteAsset), native: $0.symbol,
                isTrading: $0.status == "TRADING" && $0.isSpotTradingAllowed)
        }
    }

    @discardableResult
    public func candles(
        symbol: String, interval: KlineInterval, start: Date, end: Date,
        _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int {
        try await pages(symbol: symbol, start: start, end: end, interval: interval, body)
    }
}
