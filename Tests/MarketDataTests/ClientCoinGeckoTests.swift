import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

@Suite("CoinGecko client against the sandbox")
struct ClientCoinGeckoTests {
    let sandbox = SandboxServer(configuration: SandboxTestSupport.configuration(coinCount: 320))

    func gecko(
        _ endpoints: SandboxEndpoints, key: CoinGeckoAPIKey? = nil, http: HTTPClient = SandboxTestSupport.client()
    ) -> CoinGeckoClient {
        CoinGeckoClient(configuration: .init(baseURL: endpoints.coinGecko, apiKey: key, callsPerMinute: 1_000), http: http)
    }

    @Test func topCoinsPagePast250AndKeepNullFields() async throws {
        let coins = try await sandbox.withRunning { try await gecko($0).topCoins(count: 320) }
        #expect(coins.count == 320)
        #expect(Set(coins.map(\.id)).count == 320)
        #expect(Set(coins.map(\.id)) == Set(sandbox.coins.map(\.id)))
        // Ordered by market cap; ranked coins carry ranks 1, 2, 3 … in order; unranked ones come last with nulls.
        let caps = coins.map { $0.marketCap ?? 0 }
        #expect(zip(caps, caps.dropFirst()).allSatisfy { $0 >= $1 })
        let ranked = coins.compactMap(\.marketCapRank)
        #expect(ranked == Array(1...ranked.count))
        let unranked = coins.filter { $0.marketCapRank == nil }
        #expect(!unranked.isEmpty)
        #expect(unranked.allSatisfy { $0.marketCap == nil && $0.circulatingSupply == nil && $0.currentPrice != nil })
        #expect(coins.contains { $0.id == "ethereum" && $0.maxSupply == nil && $0.marketCapRank != nil })
    }

    @Test func topCountStopsEarly() async throws {
        let coins = try await sandbox.withRunning { try await gecko($0).topCoins(count: 30) }
        #expect(coins.count == 30)
        #expect(coins.map(\.marketCapRank) == Array(1...30))
    }

    @Test func stablecoinsComeFromTheCategory() async throws {
        let ids = try await sandbox.withRunning { try await gecko($0).stablecoinIDs() }
        let expected = Set(sandbox.coins.filter(\.isStablecoin).map(\.id))
        #expect(ids == expected)
        #expect(ids.isSuperset(of: ["tether", "usd-coin", "dai", "first-digital-usd"]))
        #expect(!ids.contains("bitcoin"))
    }

    @Test func rateLimitWithoutRetryAfterIsWaitedOut() async throws {
        let clock = VirtualClock()
        sandbox.inject(.rateLimited(retryAfterSeconds: nil), on: .coinsMarkets, matching: "page=2", times: 1)
        let coins = try await sandbox.withRunning {
            try await gecko($0, http: SandboxTestSupport.client(clock: clock)).topCoins(count: 300)
        }
        #expect(coins.count == 300)
        #expect(clock.sleeps == [.seconds(60)])
    }

    @Test func apiKeyIsSentButNeverShown() async throws {
        let secret = "CG-sandbox-secret-4242"
        sandbox.inject(.status(500), on: .coinsMarkets, times: nil)
        let key = CoinGeckoAPIKey.demo(secret)
        let error = await #expect(throws: HTTPError.self) {
            try await sandbox.withRunning {
                try await gecko($0, key: key, http: SandboxTestSupport.client(maxAttempts: 2)).topCoins(count: 5)
            }
        }
        #expect(error?.kind == .status(500))
        #expect(error?.description.contains("CoinGecko error 500") == true)
        #expect(error?.description.contains(secret) == false)
        #expect("\(key)" == "demo key (redacted)")
        #expect(key.headerName == "x-cg-demo-api-key")
    }
}
