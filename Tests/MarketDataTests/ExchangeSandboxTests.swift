import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

/// Kraken, KuCoin and Poloniex clients against the sandbox over real HTTP on 127.0.0.1: naming,
/// paging across each limit, the exchange's errors, faults and rate limits. The sandbox counts its
/// budgets on the client's virtual clock, so waiting for a window takes no real time.
@Suite("Kraken, KuCoin and Poloniex against the sandbox")
struct ExchangeSandboxTests {
    static let now = SandboxTestSupport.date("2024-03-10T12:00:30Z")

    /// A sandbox and an HTTP client sharing one virtual clock (the sandbox's budgets count on it).
    static func setUp(
        budgets: [ExchangeID: SandboxExchangeBudget] = [:], pinBudgetClock: Bool = false, maxRateLimitWaits: Int = 5
    ) -> (SandboxServer, HTTPClient, VirtualClock) {
        let clock = VirtualClock(start: now)
        var configuration = SandboxTestSupport.configuration()
        for (exchange, budget) in budgets { configuration.exchangeBudgets[exchange] = budget }
        let pinned = now
        if pinBudgetClock { configuration.weightClock = { pinned } } else { configuration.weightClock = { clock.now } }
        let http = HTTPClient(
            configuration: .init(
                retry: HTTPRetryPolicy(maxAttempts: 3, maxRateLimitWaits: maxRateLimitWaits), timing: clock.timing,
                traffic: HostTraffic()))
        return (SandboxServer(configuration: configuration), http, clock)
    }

    static func clients(_ endpoints: SandboxEndpoints, http: HTTPClient) -> [ExchangeID: any ExchangeClient] {
        let clock: @Sendable () -> Date = { now }
        return [
            .binance: BinanceRESTClient(configuration: .init(baseURL: endpoints.binance, now: clock), http: http),
            .kraken: KrakenClient(configuration: .init(baseURL: endpoints.kraken, now: clock), http: http),
            .kucoin: KuCoinClient(configuration: .init(baseURL: endpoints.kucoin, now: clock), http: http),
            .poloniex: PoloniexClient(configuration: .init(baseURL: endpoints.poloniex, now: clock), http: http),
        ]
    }

    @Test func symbolsMapToCanonicalPairs() async throws {
        let (server, http, _) = Self.setUp()
        let symbols = try await server.withRunning { endpoints in
            var all: [ExchangeID: [ExchangeSymbol]] = [:]
            for (exchange, client) in Self.clients(endpoints, http: http) { all[exchange] = try await client.symbols() }
            return all
        }
        let btc = CanonicalPair(base: "BTC", quote: "USDT")
        let native = symbols.mapValues { list in list.first { $0.pair == btc }?.native }
        #expect(native == [.binance: "BTCUSDT", .kraken: "XBTUSDT", .kucoin: "BTC-USDT", .poloniex: "BTC_USDT"])
        let kraken = try #require(symbols[.kraken])
        #expect(kraken.contains { $0.native == "XXBTZUSD" && $0.pair.description == "BTC/USD" })
        #expect(kraken.contains { $0.native == "XDGUSDT" && $0.pair.description == "DOGE/USDT" })
        #expect(symbols.values.allSatisfy { $0.allSatisfy(\.isTrading) || $0.first?.exchange == .binance })
    }

    @Test func kucoinPagesAcross1500AndMatchesBinance() async throws {
        let (server, http, _) = Self.setUp()
        let start = SandboxTestSupport.date("2024-03-01T00:00:00Z"), end = SandboxTestSupport.date("2024-03-03T00:00:00Z")
        let (pages, kucoin, binance) = try await server.withRunning { endpoints in
            let clients = Self.clients(endpoints, http: http)
            let pages = PageCollector()
            try await clients[.kucoin]!.candles(symbol: "BTC-USDT", interval: .oneMinute, start: start, end: end) { await pages.add($0) }
            let reference = PageCollector()
            try await clients[.binance]!.candles(symbol: "BTCUSDT", interval: .oneMinute, start: start, end: end) {
                await reference.add($0)
            }
            return (await pages.sizes, await pages.all, await reference.all)
        }
        #expect(pages == [1_500, 1_380])
        #expect(kucoin.count == 2_880)
        Self.expectSameMarket(kucoin, binance)
    }

    @Test func poloniexPagesAcross500() async throws {
        let (server, http, _) = Self.setUp()
        let start = SandboxTestSupport.date("2024-03-01T00:00:00Z"), end = SandboxTestSupport.date("2024-03-02T00:00:00Z")
        let (pages, candles, binance) = try await server.withRunning { endpoints in
            let clients = Self.clients(endpoints, http: http)
            let pages = PageCollector()
            try await clients[.poloniex]!.candles(symbol: "ETH_USDT", interval: .oneMinute, start: start, end: end) { await pages.add($0) }
            let reference = PageCollector()
            try await clients[.binance]!.candles(symbol: "ETHUSDT", interval: .oneMinute, start: start, end: end) {
                await reference.add($0)
            }
            return (await pages.sizes, await pages.all, await reference.all)
        }
        #expect(pages == [500, 500, 440])
        Self.expectSameMarket(candles, binance)
        // Poloniex reports everything Binance does: trades and taker volumes match too.
        #expect(candles.map(\.trades) == binance.map(\.trades))
        #expect(candles.map(\.takerBuyBaseVolume) == binance.map(\.takerBuyBaseVolume))
    }

    @Test func krakenHistoryFromTradesPastOneThousandAndBeyondOHLCDepth() async throws {
        let (server, http, _) = Self.setUp()
        // Two days: 2,880 minutes, far more than OHLC's 720, at 4 trades a minute: 12 pages of trades.
        let start = SandboxTestSupport.date("2024-03-01T00:00:00Z"), end = SandboxTestSupport.date("2024-03-03T00:00:00Z")
        let (candles, binance, ohlc) = try await server.withRunning { endpoints in
            let clients = Self.clients(endpoints, http: http)
            let pages = PageCollector()
            try await clients[.kraken]!.candles(symbol: "XBTUSDT", interval: .oneMinute, start: start, end: end) { await pages.add($0) }
            let reference = PageCollector()
            try await clients[.binance]!.candles(symbol: "BTCUSDT", interval: .oneMinute, start: start, end: end) {
                await reference.add($0)
            }
            let kraken = KrakenClient(configuration: .init(baseURL: endpoints.kraken, now: { Self.now }), http: http)
            return (await pages.all, await reference.all, try await kraken.ohlc(pair: "XBTUSDT", interval: .oneMinute))
        }
        #expect(candles.count == 2_880)
        #expect(candles.allSatisfy { $0.trades == 4 })
        Self.expectSameMarket(candles, binance)
        #expect(ohlc.count == KrakenClient.ohlcDepth)
        #expect(ohlc.last?.openTime == Int64(Self.now.timeIntervalSince1970) / 60 * 60 * 1_000_000)  // the open minute
    }

    @Test func krakenStopsAtTheOpenMinute() async throws {
        let (server, http, _) = Self.setUp()
        let candles = try await server.withRunning { endpoints in
            let kraken = Self.clients(endpoints, http: http)[.kraken]!
            let pages = PageCollector()
            try await kraken.candles(
                symbol: "XETHZUSD", interval: .oneMinute, start: SandboxTestSupport.date("2024-03-10T11:00:00Z"),
                end: SandboxTestSupport.date("2024-03-10T13:00:00Z")
            ) { await pages.add($0) }
            return await pages.all
        }
        #expect(candles.count == 60)  // 11:00 … 11:59; 12:00 is still open at 12:00:30
        #expect(candles.last?.openTime == Int64(SandboxTestSupport.date("2024-03-10T11:59:00Z").timeIntervalSince1970) * 1_000_000)
    }

    @Test func unknownSymbolsAreRefusedInEachExchangesShape() async throws {
        let (server, http, _) = Self.setUp()
        let errors = try await server.withRunning { endpoints in
            var errors: [ExchangeID: ExchangeError] = [:]
            for (exchange, client) in Self.clients(endpoints, http: http) where exchange != .binance {
                do {
                    try await client.candles(
                        symbol: "NOPE", interval: .oneMinute, start: SandboxTestSupport.date("2024-03-01T00:00:00Z"),
                        end: SandboxTestSupport.date("2024-03-01T01:00:00Z")
                    ) { _ in }
                } catch let error as ExchangeError {
                    errors[exchange] = error
                }
            }
            return errors
        }
        #expect(errors[.kraken]?.code == "EQuery" && errors[.kraken]?.message == "EQuery:Unknown asset pair")
        #expect(errors[.kucoin]?.code == "400100" && errors[.kucoin]?.message == "This pair is not provided at present")
        #expect(errors[.poloniex]?.code == "21711" && errors[.poloniex]?.status == 400)
        #expect(errors[.poloniex]?.description.hasPrefix("Poloniex error 21711 (HTTP 400) for http://127.0.0.1:") == true)
    }

    @Test func serverErrorsAreRetried() async throws {
        let (server, http, _) = Self.setUp()
        server.inject(.status(503), on: .kucoin, matching: "market/candles", times: 1)
        server.inject(.status(502), on: .poloniex, matching: "/candles", times: 1)
        server.inject(.status(500), on: .kraken, matching: "Trades", times: 1)
        let counts = try await server.withRunning { endpoints in
            let clients = Self.clients(endpoints, http: http)
            let start = SandboxTestSupport.date("2024-03-01T00:00:00Z"), end = SandboxTestSupport.date("2024-03-01T02:00:00Z")
            return [
                try await clients[.kucoin]!.candles(symbol: "SOL-USDT", interval: .oneMinute, start: start, end: end) { _ in },
                try await clients[.poloniex]!.candles(symbol: "SOL_USDT", interval: .oneMinute, start: start, end: end) { _ in },
                try await clients[.kraken]!.candles(symbol: "SOLUSDT", interval: .oneMinute, start: start, end: end) { _ in },
            ]
        }
        #expect(counts == [120, 120, 120])
        #expect(server.armedFaults.isEmpty)
    }

    @Test func keepingToTheBudgetNeverMeetsA429() async throws {
        // KuCoin's pool shrunk to 9 weight per 30 s (three candle requests); the client keeps to the
        // same budget and waits for the next window on the shared virtual clock.
        let (server, http, clock) = Self.setUp(budgets: [.kucoin: SandboxExchangeBudget(capacity: 9, windowSeconds: 30)])
        let count = try await server.withRunning { endpoints in
            let kucoin = KuCoinClient(
                configuration: .init(baseURL: endpoints.kucoin, rateLimit: RateLimit(capacity: 9, window: .seconds(30)), now: { Self.now }),
                http: http)
            return try await kucoin.candles(
                symbol: "BTC-USDT", interval: .oneMinute, start: SandboxTestSupport.date("2024-03-01T00:00:00Z"),
                end: SandboxTestSupport.date("2024-03-06T00:00:00Z")
            ) { _ in }
        }
        #expect(count == 7_200)  // 5 requests of ≤ 1,500
        #expect(!clock.sleeps.isEmpty)  // it waited for a window rather than be refused
    }

    @Test func overTheBudgetThe429IsWaitedOut() async throws {
        // The client believes in a larger budget than the sandbox grants: the sandbox answers 429
        // 429000 and the client pauses the host, then goes on once the window has passed.
        let (server, http, clock) = Self.setUp(budgets: [.kucoin: SandboxExchangeBudget(capacity: 6, windowSeconds: 30)])
        let count = try await server.withRunning { endpoints in
            let kucoin = KuCoinClient(configuration: .init(baseURL: endpoints.kucoin, now: { Self.now }), http: http)
            return try await kucoin.candles(
                symbol: "BTC-USDT", interval: .oneMinute, start: SandboxTestSupport.date("2024-03-01T00:00:00Z"),
                end: SandboxTestSupport.date("2024-03-04T00:00:00Z")
            ) { _ in }
        }
        #expect(count == 4_320)
        #expect(clock.sleeps.contains(.seconds(60)))  // no Retry-After: the client's fallback pause
    }

    @Test func aRateLimitThatDoesNotEndIsAClearError() async throws {
        // The sandbox's clock is pinned, so its Kraken window never ends.
        let (server, http, _) = Self.setUp(
            budgets: [.kraken: SandboxExchangeBudget(capacity: 1, windowSeconds: 1)], pinBudgetClock: true, maxRateLimitWaits: 2)
        let error = try await server.withRunning { endpoints -> ExchangeError? in
            let kraken = KrakenClient(
                configuration: .init(baseURL: endpoints.kraken, rateLimit: RateLimit(capacity: 100), now: { Self.now }), http: http)
            _ = try await kraken.symbols()
            do { _ = try await kraken.symbols() } catch let error as ExchangeError { return error }
            return nil
        }
        #expect(error?.isRateLimited == true)
        #expect(error?.code == "EGeneral" && error?.status == 429)
        #expect(error?.description.hasPrefix("Kraken error EGeneral (HTTP 429) for http://127.0.0.1:") == true)
    }

    /// Same minutes, same prices and base volume: the sandbox's exchanges trade one synthetic market.
    static func expectSameMarket(_ candles: [Kline], _ binance: [Kline]) {
        #expect(candles.map(\.openTime) == binance.map(\.openTime))
        #expect(candles.map(\.open) == binance.map(\.open) && candles.map(\.close) == binance.map(\.close))
        #expect(candles.map(\.high) == binance.map(\.high) && candles.map(\.low) == binance.map(\.low))
        #expect(candles.map(\.volume) == binance.map(\.volume))
    }
}

/// Pages handed over by a client.
actor PageCollector {
    var sizes: [Int] = []
    var all: [Kline] = []
    func add(_ page: [Kline]) {
        sizes.append(page.count)
        all += page
    }
}
