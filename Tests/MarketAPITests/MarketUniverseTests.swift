import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketData
import MarketPipeline
import NIOCore
import Testing
import UpdraftStore

/// `/api/market/v1/universe`: the universe as `updraft symbols` sees it, and its controls (an op
/// changes it, a viewer reads it).
@Suite("Market API: the universe")
struct MarketUniverseTests {
    static func home() throws -> MarketAPIHarness {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-universe-api-\(UUID().uuidString)").path
        let stores = try MarketStores(home: home)
        let observed = Date(timeIntervalSince1970: 1_780_000_000)
        try stores.warehouse.upsertSymbols(
            [
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: nil, binancePair: "BTCUSDT"),
                MarketSymbol(id: "ethereum", ticker: "eth", name: "Ethereum", rank: 2, marketCap: nil, binancePair: "ETHUSDT"),
            ], observedAt: observed)
        try stores.warehouse.recordTopCoins(["bitcoin"], at: observed)  // ethereum left the top N
        return MarketAPIHarness(home: home, stores: stores, dayCSV: [])
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data([UInt8](buffer: response.body))) as? [String: Any])
    }

    @Test func anOpAddsTracksAndRemovesPairs() async throws {
        let harness = try Self.home()
        try await harness.withServer(role: .op) { api in
            let list = try await api.json("/api/market/v1/universe")
            let pairs = try #require(list["pairs"] as? [[String: Any]])
            #expect(pairs.map { $0["pair"] as? String } == ["BTC/USDT", "ETH/USDT"])
            #expect(pairs.map { $0["tracked"] as? Bool } == [true, false])
            #expect(
                pairs[1]["reason"] as? String == "left the top N on 2026-05-28"
                    && pairs[1]["untracked_at"] as? String == "2026-05-28T20:26:40Z")

            let added = try await api.send(.post, "/api/market/v1/universe", json: #"{"pair": "ada/btc"}"#)
            #expect(added.status == .created)
            #expect(try Self.object(added)["pair"] as? String == "ADA/BTC")
            #expect(try await api.send(.post, "/api/market/v1/universe", json: #"{"pair": "ADA/BTC"}"#).status == .conflict)
            #expect(try await api.send(.post, "/api/market/v1/universe", json: #"{"pair": "ADABTC"}"#).status == .badRequest)

            let tracked = try await api.send(.put, "/api/market/v1/universe/ETH-USDT/tracking", json: #"{"tracking": "track"}"#)
            #expect(tracked.status == .ok)
            let eth = try Self.object(tracked)
            #expect(eth["tracked"] as? Bool == true && eth["manual"] as? String == "track" && eth["reason"] as? String == "tracked by hand")
            #expect(
                try PipelineQueries.trackedCanonicalPairs(in: harness.stores.warehouse).map(\.description) == [
                    "BTC/USDT", "ETH/USDT", "ADA/BTC",
                ])
            let auto = try await api.send(.put, "/api/market/v1/universe/ETH-USDT/tracking", json: #"{"tracking": "auto"}"#)
            #expect(try Self.object(auto)["tracked"] as? Bool == false)
            #expect(
                try await api.send(.put, "/api/market/v1/universe/DOGE-USDT/tracking", json: #"{"tracking": "track"}"#).status == .notFound)

            let refused = try await api.send(.delete, "/api/market/v1/universe/BTC-USDT")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("use untrack"))
            #expect(try await api.send(.delete, "/api/market/v1/universe/ADA-BTC").status == .noContent)
            #expect(try await api.send(.delete, "/api/market/v1/universe/ADA-BTC").status == .notFound)
        }
    }

    @Test func aViewerReadsButCannotChange() async throws {
        let harness = try Self.home()
        try await harness.withServer { api in
            #expect(try await api.get("/api/market/v1/universe").status == .ok)
            #expect(try await api.send(.post, "/api/market/v1/universe", json: #"{"pair": "ADA/BTC"}"#).status == .forbidden)
            let document = try await api.json("/openapi.json")
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/api/market/v1/universe"] != nil && paths["/api/market/v1/universe/{pair}/tracking"] != nil)
        }
    }
}
