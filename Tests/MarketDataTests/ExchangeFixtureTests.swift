import Foundation
import Testing

@testable import MarketData

/// The exchanges' own documentation examples, verbatim (`Tests/Fixtures/exchanges`, sources in its
/// SOURCES.md), through the parsers the clients use.
@Suite("Exchange parsers on the documentation's examples")
struct ExchangeFixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/exchanges")

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: root.appendingPathComponent(name))) }
    static func decimal(_ text: String) -> FixedDecimal { try! ExchangeDecimal.parse(text) }
    static let url = "https://example.invalid/fixture"

    @Test func krakenOHLCExample() throws {
        let (candles, last) = try KrakenJSON.ohlc(try Self.bytes("kraken/ohlc-example.json"), url: Self.url, interval: 60_000_000)
        #expect(candles.count == 4)
        #expect(last == 1_688_672_160)
        let first = try #require(candles.first)
        #expect(first.openTime == 1_688_671_200_000_000)
        #expect(first.closeTime == 1_688_671_259_999_999)
        #expect(first.open == Self.decimal("30306.1") && first.high == Self.decimal("30306.2"))
        #expect(first.low == Self.decimal("30305.7") && first.close == Self.decimal("30305.7"))
        #expect(first.volume == Self.decimal("3.39243896") && first.trades == 23)
        #expect(first.quoteVolume == Self.decimal("102811.59436566"))  // vwap 30306.1 × volume, to 8 decimals
        #expect(candles.map(\.trades) == [23, 18, 25, 9])
        #expect(zip(candles, candles.dropFirst()).allSatisfy { $1.openTime - $0.openTime == 60_000_000 })
    }

    @Test func krakenTradesExampleAggregatesIntoMinutes() throws {
        let (trades, last) = try KrakenJSON.trades(try Self.bytes("kraken/trades-example.json"), url: Self.url)
        #expect(trades.count == 3)
        #expect(last == "1688671969993150842")
        #expect(trades.map(\.takerBought) == [true, false, false])
        #expect(trades[0].time == 1_688_669_597_827_737)
        var builder = TradeCandleBuilder(step: 60_000_000)
        trades.forEach { builder.add($0) }
        let candles = builder.take(openingBefore: .max)
        // 15:33:17.83, 15:33:18.28 and 15:33:22.70 UTC: one minute, 15:33.
        #expect(candles.map(\.openTime) == [1_688_669_580_000_000])
        let minute = try #require(candles.first)
        #expect(minute.open == Self.decimal("30243.4") && minute.close == Self.decimal("30243.3"))
        #expect(minute.high == Self.decimal("30243.4") && minute.low == Self.decimal("30243.3"))
        #expect(minute.volume == Self.decimal("0.36120350") && minute.trades == 3)
        // 30243.4 × 0.34507674 + 30243.3 × 0.00376960 + 30243.3 × 0.01235716, each rounded to 8 decimals.
        #expect(minute.quoteVolume == Self.decimal("10924.02031923"))
        #expect(minute.takerBuyBaseVolume == Self.decimal("0.34507674"))
        #expect(minute.takerBuyQuoteVolume == Self.decimal("10436.29387852"))
    }

    @Test func kucoinCandlesExampleOldestFirst() throws {
        // The documentation prints the `data` array with `//` comments after fields; the comments go.
        let text = String(decoding: try Self.bytes("kucoin/candles-example.jsonc"), as: UTF8.self)
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
        let data = try JSONSerialization.jsonObject(with: Data(stripped.utf8))
        let candles = try KuCoinJSON.candles(data, url: Self.url, step: 60_000_000)
        #expect(candles.map(\.openTime) == [1_545_904_920_000_000, 1_545_904_980_000_000])
        let newest = candles[1]
        #expect(newest.open == Self.decimal("0.058") && newest.close == Self.decimal("0.049"))
        #expect(newest.high == Self.decimal("0.058") && newest.low == Self.decimal("0.049"))
        #expect(newest.volume == Self.decimal("0.018") && newest.quoteVolume == Self.decimal("0.000945"))
        #expect(candles[0].close == Self.decimal("0.072") && candles[0].quoteVolume == Self.decimal("0.006986"))
        #expect(candles.allSatisfy { $0.trades == 0 && $0.takerBuyBaseVolume == .zero })
    }

    @Test func kucoinSymbolsExample() throws {
        let data = try KuCoinJSON.data(try Self.bytes("kucoin/symbols-v2-example.json"), url: Self.url)
        let symbols = try KuCoinJSON.symbols(data, url: Self.url)
        #expect(symbols.map(\.native) == ["GALAX-USDT", "XLM-USDT"])
        #expect(symbols.map(\.pair.description) == ["GALAX/USDT", "XLM/USDT"])
        #expect(symbols.allSatisfy { $0.isTrading && $0.exchange == .kucoin })
    }

    @Test func errorShapesNameTheExchangeAndCode() throws {
        let kraken = #expect(throws: ExchangeError.self) {
            try KrakenJSON.result(Array(#"{"error":["EQuery:Unknown asset pair"]}"#.utf8), url: Self.url)
        }
        #expect(kraken?.code == "EQuery" && kraken?.message == "EQuery:Unknown asset pair" && kraken?.isRateLimited == false)
        let limited = #expect(throws: ExchangeError.self) {
            try KrakenJSON.result(Array(#"{"error":["EAPI:Rate limit exceeded"]}"#.utf8), url: Self.url)
        }
        #expect(limited?.isRateLimited == true)
        let kucoin = #expect(throws: ExchangeError.self) {
            try KuCoinJSON.data(Array(#"{"code":"400100","msg":"This pair is not provided at present"}"#.utf8), url: Self.url)
        }
        #expect(kucoin?.description == "KuCoin error 400100 for \(Self.url): This pair is not provided at present")
        let poloniex = PoloniexJSON.refusal(Array(#"{"code":21711,"message":"Invalid symbol"}"#.utf8), url: Self.url, status: 400)
        #expect(poloniex?.code == "21711" && poloniex?.status == 400)
    }

    @Test func badRowsNameTheRowAndField() throws {
        let body = Array(#"{"error":[],"result":{"XXBTZUSD":[[1688671200,"30306.1",30306.2,"1","1","1","1",1]],"last":1}}"#.utf8)
        let error = #expect(throws: ExchangeError.self) { try KrakenJSON.ohlc(body, url: Self.url, interval: 60_000_000) }
        #expect(error?.message == "unexpected answer: row 0 field 3 (high): expected a string")
        let short = #expect(throws: ExchangeError.self) {
            try KuCoinJSON.candles([["1545904980", "0.058"]], url: Self.url, step: 60_000_000)
        }
        #expect(short?.message.contains("row 0: 2 fields") == true)
    }

    @Test func canonicalPairsFromEachNaming() throws {
        #expect(KrakenAssetNames.pair(wsname: "XBT/USD")?.description == "BTC/USD")
        #expect(KrakenAssetNames.pair(wsname: "XDG/USDT")?.description == "DOGE/USDT")
        #expect(KrakenAssetNames.canonical("XXBT") == "BTC" && KrakenAssetNames.canonical("ZUSD") == "USD")
        #expect(KrakenAssetNames.canonical("XETH") == "ETH" && KrakenAssetNames.canonical("USDT") == "USDT")
        #expect(KrakenAssetNames.canonical("XTZ") == "XTZ")
        #expect(try CanonicalPair(parsing: "btc/usdt").binanceSymbol == "BTCUSDT")
        #expect(throws: CanonicalPairError.self) { try CanonicalPair(parsing: "BTCUSDT") }
        #expect((try? ExchangeID(configured: "KuCoin")) == .kucoin)
        let unknown = #expect(throws: UnknownExchangeError.self) { try ExchangeID(configured: "bitfinex") }
        #expect(unknown?.description == "unknown exchange \"bitfinex\": expected one of binance, kraken, kucoin, poloniex")
    }

    @Test func decimalsPastTheEighthAreRounded() throws {
        #expect(try ExchangeDecimal.parse("3027558.991928447") == Self.decimal("3027558.99192845"))
        #expect(try ExchangeDecimal.parse("1.000000004") == Self.decimal("1"))
        #expect(try ExchangeDecimal.parse("30306.1").units == 3_030_610_000_000)
        #expect(throws: FixedDecimalError.self) { try ExchangeDecimal.parse("1.0000000001x") }
    }
}
