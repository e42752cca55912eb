import ArgumentParser
import Foundation
import GRDB
import Testing

@testable import MarketCLI
@testable import MarketData
@testable import UpdraftCLI

/// Bitemporal coverage from the load ledger: what was known of a series on a past date (its
/// candles, first, last, gaps) and the loads recorded by then.
@Suite("Coverage as of a date")
struct CoverageTests {
    static let day1 = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01T00:00:00Z
    static let day2 = day1.addingTimeInterval(86_400)
    static let day3 = day2.addingTimeInterval(86_400)

    static func minutes(_ range: Range<Int>, from start: Int64) -> [Kline] {
        range.map { index in
            let openTime = start + Int64(index) * 60_000_000
            let price = FixedDecimal(units: 100 + Int64(index))
            return Kline(
                openTime: openTime, open: price, high: price, low: price, close: price, volume: price, closeTime: openTime + 59_999_999,
                quoteVolume: price, trades: 1, takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
        }
    }

    @Test func whatWasKnownOnEachDay() throws {
        let warehouse = try KlineWarehouse()
        let start = UTCCalendar.microseconds(year: 2026, month: 10, day: 1)
        // Day 1: minutes 0–59 and 70–99 (a gap of 10); day 2: the gap is filled and 100–119 added;
        // day 3: minutes 0–9 again (a re-load keeps the first load of each candle).
        try warehouse.insert(
            Self.minutes(0..<60, from: start) + Self.minutes(70..<100, from: start), symbol: "BTCUSDT", interval: .oneMinute,
            source: "rest", recordedAt: Self.day1.addingTimeInterval(3_600))
        try warehouse.insert(
            Self.minutes(60..<70, from: start), symbol: "BTCUSDT", interval: .oneMinute, source: "archive:BTCUSDT-1m-2026-10-01.zip",
            recordedAt: Self.day2.addingTimeInterval(600))
        try warehouse.insert(
            Self.minutes(100..<120, from: start), symbol: "BTCUSDT", interval: .oneMinute, recordedAt: Self.day2.addingTimeInterval(900))
        try warehouse.insert(Self.minutes(0..<10, from: start), symbol: "BTCUSDT", interval: .oneMinute, recordedAt: Self.day3)

        let before = try warehouse.coverage(symbol: "BTCUSDT", asOf: Self.day1)
        #expect(before.rows == 0 && before.first == nil && before.loads.isEmpty)

        let first = try warehouse.coverage(symbol: "BTCUSDT", asOf: Self.day2)
        #expect(first.rows == 90 && first.first == start && first.last == start + 99 * 60_000_000)
        #expect(first.missing == [Coverage.Missing(start: start + 60 * 60_000_000, end: start + 69 * 60_000_000, bars: 10)])
        #expect(first.loads.map(\.rows) == [90] && first.loads.first?.recordedAt == Self.day1.addingTimeInterval(3_600))

        let second = try warehouse.coverage(symbol: "BTCUSDT", asOf: Self.day3.addingTimeInterval(-1))
        #expect(second.rows == 120 && second.missing.isEmpty && second.last == start + 119 * 60_000_000)
        #expect(second.loads.map(\.source) == ["rest", "archive:BTCUSDT-1m-2026-10-01.zip", "rest"])

        let now = try warehouse.coverage(symbol: "BTCUSDT", asOf: Self.day3)
        #expect(now.rows == 120 && now.loads.count == 4)
        // The re-load changed no candle's first load: what was known on day 2 is unchanged.
        #expect(try warehouse.coverage(symbol: "BTCUSDT", asOf: Self.day2).rows == 90)
        // Other exchanges and intervals are series of their own.
        #expect(try warehouse.coverage(exchange: .kucoin, symbol: "BTCUSDT", asOf: Self.day3).rows == 0)
    }

    @Test func archiveImportsAreOneLoadEach() throws {
        let warehouse = try KlineWarehouse()
        for load in warehouse.importArchives(CodecFixtures.zips.prefix(2).map { .file(path: $0.path) }) { _ = try load.get() }
        let coverage = try warehouse.coverage(symbol: "BTCUSDT", asOf: Date())
        #expect(coverage.loads.map(\.source) == ["archive:BTCUSDT-1m-2020-01-01.zip", "archive:BTCUSDT-1m-2020-01-02.zip"])
        #expect(coverage.loads.map(\.rows) == [1_440, 1_440] && coverage.rows == 2_880)
        #expect(coverage.first == UTCCalendar.microseconds(year: 2020, month: 1, day: 1))
    }

    @Test func theCoverageCommandAnswersAsOfADate() async throws {
        let home = DataCLITests.Home()
        let warehouse = try KlineWarehouse(home: home.path)
        let start = UTCCalendar.microseconds(year: 2026, month: 10, day: 1)
        try warehouse.insert(Self.minutes(0..<30, from: start), symbol: "ETHUSDT", interval: .oneMinute, recordedAt: Self.day1)
        try warehouse.insert(Self.minutes(30..<60, from: start), symbol: "ETHUSDT", interval: .oneMinute, recordedAt: Self.day2)
        var command = try DataCommand.parseAsRoot(["coverage", "--as-of", "2026-11-01", "--json", "--home", home.path])
        #expect((command as? DataCoverageCommand)?.moment == Self.day2.addingTimeInterval(-0.000_001))
        if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
        let past = try warehouse.coverage(symbol: "ETHUSDT", asOf: try #require((command as? DataCoverageCommand)?.moment))
        #expect(past.rows == 30 && past.loads.count == 1)
        #expect(throws: (any Error).self) { try DataCommand.parseAsRoot(["coverage", "--as-of", "yesterday"]) }
    }
}
