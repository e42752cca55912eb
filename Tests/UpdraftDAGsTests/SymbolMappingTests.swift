import Foundation
import MarketData
import Testing

@testable import MarketPipeline
@testable import UpdraftDAGs

@Suite("get_symbols: coins to Binance pairs")
struct SymbolMappingTests {
    private func coin(_ id: String, _ symbol: String, rank: Int?) throws -> CoinMarket {
        let json = """
            {"id":"\(id)","symbol":"\(symbol)","name":"\(id.capitalized)","market_cap_rank":\(rank.map(String.init) ?? "null"),
             "market_cap":\(rank.map { String(1_000_000 / $0) } ?? "null"),"current_price":1.0}
            """
        return try JSONDecoder().decode(CoinMarket.self, from: Data(json.utf8))
    }

    @Test func mapsTracksAndSkipsWithCounts() throws {
        let coins = [
            try coin("bitcoin", "btc", rank: 1), try coin("tether", "usdt", rank: 3),
            try coin("ethereum", "eth", rank: 2), try coin("usd-coin", "usdc", rank: 6),
            try coin("leo-token", "leo", rank: 20), try coin("binance-peg-weth", "eth", rank: 40),
        ]
        let mapping = SymbolMapping(
            coins: coins, stablecoinIDs: ["tether", "usd-coin"],
            livePairs: ["BTCUSDT", "ETHUSDT", "USDCUSDT", "SOLUSDT"],
            quoteAsset: "USDT", extraSymbols: ["solusdt", "BTCUSDT"])
        #expect(mapping.tracked == ["BTCUSDT", "ETHUSDT", "SOLUSDT"])
        #expect(mapping.stablecoins == 2)
        #expect(mapping.withoutPair == 2)  // leo (no pair) and the bridged WETH (ETHUSDT taken by rank 2)
        let byID = Dictionary(uniqueKeysWithValues: mapping.symbols.map { ($0.id, $0) })
        #expect(byID["ethereum"]?.binancePair == "ETHUSDT")
        #expect(byID["binance-peg-weth"]?.binancePair == nil)
        #expect(byID["usd-coin"]?.isStablecoin == true)
        #expect(byID["usd-coin"]?.binancePair == "USDCUSDT")  // recorded, but not tracked
        #expect(byID["tether"]?.binancePair == nil)
        #expect(byID["binance:SOLUSDT"]?.ticker == "sol")
        #expect(byID["binance:BTCUSDT"] == nil)  // already tracked through bitcoin
    }
}

@Suite("incremental: REST request plan")
struct KlineRequestPlanTests {
    private let base = Date(timeIntervalSince1970: 1_700_000_000 - 1_700_000_000.truncatingRemainder(dividingBy: 60))

    @Test func windowsCoverTheClosedMinutesInPagesOfAThousand() {
        let plan = KlineRequestPlan(symbol: "BTCUSDT", lastUpdated: base, now: base.addingTimeInterval(2_500 * 60 + 30))
        #expect(plan.windows.count == 3)
        #expect(plan.windows.first?.start == base)
        #expect(plan.windows.last?.end == base.addingTimeInterval(2_500 * 60))  // the open minute is left out
        #expect(zip(plan.windows, plan.windows.dropFirst()).allSatisfy { $0.end == $1.start })
        #expect(plan.windows.map { $0.end.timeIntervalSince($0.start) / 60 } == [1_000, 1_000, 500])
        #expect(plan.weight == 6)
    }

    @Test func upToDateSymbolNeedsNothingAndMidMinuteRoundsUp() {
        #expect(KlineRequestPlan(symbol: "X", lastUpdated: base, now: base.addingTimeInterval(59)).windows.isEmpty)
        let plan = KlineRequestPlan(symbol: "X", lastUpdated: base.addingTimeInterval(10), now: base.addingTimeInterval(180))
        #expect(plan.windows == [.init(start: base.addingTimeInterval(60), end: base.addingTimeInterval(180))])
    }

    @Test func batchesStayWithinTheWeightBudget() {
        let plans = (0..<5).map { i in
            KlineRequestPlan(symbol: "S\(i)", lastUpdated: base, now: base.addingTimeInterval(Double(3_000 * 60)))
        }  // 3 requests, weight 6 each
        let batches = KlineRequestPlan.batches(plans, weightBudget: 13)
        #expect(batches.map { $0.map(\.symbol) } == [["S0", "S1"], ["S2", "S3"], ["S4"]])
        #expect(batches.allSatisfy { $0.map(\.weight).reduce(0, +) <= 13 })
    }
}
