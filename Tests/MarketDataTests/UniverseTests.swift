import ArgumentParser
import Foundation
import Testing

@testable import MarketCLI
@testable import MarketData
@testable import UpdraftCLI

/// The universe in the warehouse: the top-N rule (untracked with the date, back when it returns),
/// manual choices that beat it until undone, pairs added by hand, and `updraft symbols`.
@Suite("Universe")
struct UniverseTests {
    static let day1 = Date(timeIntervalSince1970: 1_780_000_000)
    static let day2 = day1.addingTimeInterval(86_400)
    static let day3 = day2.addingTimeInterval(86_400)

    static func coin(_ id: String, _ ticker: String, rank: Int, stable: Bool = false) -> MarketSymbol {
        MarketSymbol(
            id: id, ticker: ticker.lowercased(), name: id, rank: rank, marketCap: nil, binancePair: ticker + "USDT", isStablecoin: stable)
    }

    static func warehouse() throws -> KlineWarehouse {
        let warehouse = try KlineWarehouse()
        let coins = [coin("bitcoin", "BTC", rank: 1), coin("ethereum", "ETH", rank: 2), coin("tether-gold", "XAUT", rank: 3, stable: true)]
        try warehouse.upsertSymbols(coins, observedAt: day1)
        try warehouse.recordTopCoins(Set(coins.map(\.id)), at: day1)
        return warehouse
    }

    static func tracked(_ warehouse: KlineWarehouse) throws -> [String] {
        try warehouse.universe().filter(\.isTracked).map(\.pair.description)
    }

    @Test func aCoinThatLeavesTheTopIsUntrackedWithTheDateAndReturns() throws {
        let warehouse = try Self.warehouse()
        #expect(try Self.tracked(warehouse) == ["BTC/USDT", "ETH/USDT"])
        let price = FixedDecimal(units: 100)
        try warehouse.insert(
            [
                Kline(
                    openTime: 0, open: price, high: price, low: price, close: price, volume: price, closeTime: 59_999_999,
                    quoteVolume: price, trades: 1, takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
            ],
            symbol: "ETHUSDT", interval: .oneMinute)
        // Day 2: ethereum is not in the list.
        let change = try warehouse.recordTopCoins(["bitcoin", "tether-gold"], at: Self.day2)
        #expect(change.left == ["ethereum"] && change.returned.isEmpty)
        let eth = try #require(try warehouse.universeEntry(CanonicalPair(base: "ETH", quote: "USDT")))
        #expect(!eth.isTracked && !eth.inTop && eth.untrackedAt == Self.day2)
        #expect(eth.reason == "left the top N on 2026-05-29")
        #expect(try warehouse.klines(symbol: "ETHUSDT").count == 1)  // its candles stay
        #expect(try Self.tracked(warehouse) == ["BTC/USDT"])
        // Day 3: back.
        let back = try warehouse.recordTopCoins(["bitcoin", "ethereum", "tether-gold"], at: Self.day3)
        #expect(back.returned == ["ethereum"] && back.left.isEmpty)
        let returned = try #require(try warehouse.universeEntry(CanonicalPair(base: "ETH", quote: "USDT")))
        #expect(returned.isTracked && returned.untrackedAt == nil)
    }

    @Test func manualChoicesBeatTheRuleUntilUndone() throws {
        let warehouse = try Self.warehouse()
        let eth = CanonicalPair(base: "ETH", quote: "USDT"), gold = CanonicalPair(base: "XAUT", quote: "USDT")
        try warehouse.setManual(.untrack, for: eth, at: Self.day2)
        try warehouse.setManual(.track, for: gold, at: Self.day2)  // a stablecoin, tracked by hand
        #expect(try Self.tracked(warehouse) == ["BTC/USDT", "XAUT/USDT"])
        // The rule runs again: ethereum is in the top N, but the manual untrack holds.
        try warehouse.recordTopCoins(["bitcoin", "tether-gold"], at: Self.day3)
        try warehouse.recordTopCoins(["bitcoin", "ethereum", "tether-gold"], at: Self.day3)
        #expect(try warehouse.universeEntry(eth)?.reason == "untracked by hand")
        #expect(try Self.tracked(warehouse) == ["BTC/USDT", "XAUT/USDT"])
        // Undone: the rule decides again.
        try warehouse.setManual(nil, for: eth, at: Self.day3)
        try warehouse.setManual(nil, for: gold, at: Self.day3)
        #expect(try Self.tracked(warehouse) == ["BTC/USDT", "ETH/USDT"])
        #expect(try warehouse.universeEntry(gold)?.reason == "stablecoin")
    }

    @Test func pairsAddedByHandAndTheirRefusals() throws {
        let warehouse = try Self.warehouse()
        let ada = CanonicalPair(base: "ADA", quote: "BTC")
        let added = try warehouse.addPair(ada, at: Self.day2)
        #expect(added.isTracked && added.origin == .manual && added.reason == "added by hand" && added.id == "pair:ADABTC")
        // The top-N rule never untracks a pair added by hand.
        try warehouse.recordTopCoins(["bitcoin"], at: Self.day3)
        #expect(try warehouse.universeEntry(ada)?.isTracked == true)
        let again = #expect(throws: UniverseError.self) { try warehouse.addPair(ada, at: Self.day3) }
        #expect(again?.kind == .conflict && again?.description.hasPrefix("ADA/BTC: already in the universe") == true)
        let listed = #expect(throws: UniverseError.self) { try warehouse.removePair(CanonicalPair(base: "BTC", quote: "USDT")) }
        #expect(listed?.description == "BTC/USDT: comes from CoinGecko's top N and returns with it; use untrack to stop fetching it")
        try warehouse.removePair(ada)
        #expect(try warehouse.universeEntry(ada) == nil)
        let missing = #expect(throws: UniverseError.self) { try warehouse.setManual(.track, for: ada, at: Self.day3) }
        #expect(missing?.kind == .notInUniverse)
    }

    /// Parses `updraft symbols ARGS` in-process and runs it; returns the exit code.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> Int32 {
        var command = try SymbolsCommand.parseAsRoot(arguments)
        do {
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        }
    }

    @Test func theSymbolsCommandsChangeTheWarehouse() async throws {
        let home = DataCLITests.Home()
        let warehouse = try KlineWarehouse(home: home.path)
        try warehouse.upsertSymbols([Self.coin("bitcoin", "BTC", rank: 1)], observedAt: Self.day1)
        #expect(try await Self.run(["add", "ada/btc", "--home", home.path]) == 0)
        #expect(try await Self.run(["untrack", "BTC/USDT", "--home", home.path]) == 0)
        #expect(try Self.tracked(warehouse) == ["ADA/BTC"])
        #expect(try await Self.run(["auto", "BTC/USDT", "--home", home.path]) == 0)
        #expect(try await Self.run(["track", "DOGE/USDT", "--home", home.path]) == 2)  // not in the universe
        #expect(try await Self.run(["remove", "BTCUSDT", "--home", home.path]) == 2)  // not BASE/QUOTE
        #expect(try await Self.run(["remove", "ADA/BTC", "--home", home.path]) == 0)
        #expect(try await Self.run(["list", "--json", "--home", home.path]) == 0)
        #expect(try Self.tracked(warehouse) == ["BTC/USDT"])
    }
}
