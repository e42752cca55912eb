import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

/// The signed spot endpoints against the sandbox, which checks keys, timestamps and signatures as
/// Binance does and fills market orders at its synthetic price.
@Suite("Binance signed trading endpoints against the sandbox")
struct ClientBinanceTradingTests {
    let configuration = SandboxTestSupport.configuration()
    var sandbox: SandboxServer { SandboxServer(configuration: configuration) }
    static let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    func trading(
        _ endpoints: SandboxEndpoints, secret: String = Self.secret, key: String = Self.key, skew: TimeInterval = 0
    )
        -> BinanceTradingClient
    {
        let now = configuration.now!.addingTimeInterval(skew)
        return BinanceTradingClient(
            baseURL: endpoints.binance, signer: BinanceSigner(apiKey: key, secretKey: secret), now: { now },
            http: SandboxTestSupport.client())
    }

    @Test func aMarketBuyFillsAtTheSandboxPriceAndMovesTheBalances() async throws {
        let server = sandbox
        let (before, fill, after) = try await server.withRunning { endpoints in
            let client = trading(endpoints)
            let before = try await client.account()
            let fill = try await client.marketOrder(symbol: "BTCUSDT", side: .buy, quoteQuantity: "1000", clientOrderId: "t-1")
            return (before, fill, try await client.account())
        }
        #expect(before.first { $0.asset == "USDT" }?.free == "10000.00000000")
        #expect(fill.status == "FILLED" && fill.side == "BUY" && fill.clientOrderId == "t-1" && fill.fills.count == 1)
        let price = try FixedDecimal(parsing: fill.fills[0].price)
        let quantity = try FixedDecimal(parsing: fill.executedQty)
        let spent = try FixedDecimal(parsing: fill.cummulativeQuoteQty)
        // Spent ≈ 1,000 USDT (the quantity is rounded down to 8 decimals), at the fill's price.
        #expect(spent.units <= 1_000 * 100_000_000 && spent.units > 999 * 100_000_000)
        #expect(abs(Double(quantity.units) * Double(price.units) / 1e8 - Double(spent.units)) <= 1)
        // The fee (0.1 %) is taken in BTC from what was bought.
        let fee = try FixedDecimal(parsing: fill.fills[0].commission)
        #expect(fill.fills[0].commissionAsset == "BTC" && fee.units == quantity.units / 1_000)
        let usdt = try FixedDecimal(parsing: after.first { $0.asset == "USDT" }!.free)
        let btc = try FixedDecimal(parsing: after.first { $0.asset == "BTC" }!.free)
        #expect(usdt.units == 10_000 * 100_000_000 - spent.units)
        #expect(btc.units == quantity.units - fee.units)
    }

    @Test func aWrongSecretIsRefusedWithMinus1022AndNothingMoves() async throws {
        let server = sandbox
        let (error, balances) = try await server.withRunning { endpoints in
            var caught: BinanceAPIError?
            do {
                _ = try await trading(endpoints, secret: "not-the-secret").marketOrder(symbol: "BTCUSDT", side: .buy, quoteQuantity: "10")
            } catch let error as BinanceAPIError { caught = error }
            return (caught, try await trading(endpoints).account())
        }
        #expect(error?.code == -1022 && error?.status == 400 && error?.message == "Signature for this request is not valid.")
        #expect(balances.first { $0.asset == "USDT" }?.free == "10000.00000000")
        // Neither key nor secret nor signature reaches the error's text.
        let text = String(describing: try #require(error))
        #expect(!text.contains(Self.key) && !text.contains("signature") && text.contains("POST /api/v3/order"))
    }

    @Test func aStaleTimestampIsRefusedWithMinus1021() async throws {
        let server = sandbox
        let error = await server.withRunningCatching { endpoints in try await trading(endpoints, skew: -10).account() }
        #expect(error?.code == -1021 && error?.message == "Timestamp for this request is outside of the recvWindow.")
    }

    @Test func anUnknownKeyAndAnOversizedOrderAreRefused() async throws {
        let server = sandbox
        let unknown = await server.withRunningCatching { endpoints in try await trading(endpoints, key: "someone-else").account() }
        #expect(unknown?.code == -2015 && unknown?.status == 401)
        let broke = await server.withRunningCatching { endpoints in
            try await trading(endpoints).marketOrder(symbol: "BTCUSDT", side: .buy, quoteQuantity: "10001")
        }
        #expect(broke?.code == -2010 && broke?.message == "Account has insufficient balance for requested action.")
        let unsellable = await server.withRunningCatching { endpoints in
            try await trading(endpoints).marketOrder(symbol: "ETHUSDT", side: .sell, quantity: "1")
        }
        #expect(unsellable?.code == -2010)
    }
}

extension SandboxServer {
    /// The `BinanceAPIError` that `body` throws against a running sandbox (nil when it succeeds).
    fileprivate func withRunningCatching(
        _ body: @escaping @Sendable (SandboxEndpoints) async throws -> some Sendable
    ) async -> BinanceAPIError? {
        do {
            return try await withRunning { endpoints -> BinanceAPIError? in
                do {
                    _ = try await body(endpoints)
                    return nil
                } catch let error as BinanceAPIError {
                    return error
                }
            }
        } catch {
            return nil
        }
    }
}
