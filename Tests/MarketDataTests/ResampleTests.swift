import Foundation
import GRDB
import Testing

@testable import MarketData

/// Resampling 1-minute candles into the `data.intervals` tables, checked against an independent
/// SQL `GROUP BY` over `tickerdata_1m` for every resampled interval, partial buckets included, as
/// minutes arrive in three steps (with a gap filled late).
@Suite("Resampling equals a GROUP BY over the minutes")
struct ResampleTests {
    /// The real day 2024-09-21 (1,440 minutes).
    static func day() throws -> [Kline] {
        let url = CodecFixtures.csvs[0]
        return try KlineCSV.parse(try CodecFixtures.bytes(url), source: url.lastPathComponent)
    }

    /// Each bucket of `interval` by plain SQL: [open_time, open, high, low, close, volume,
    /// quote_volume, trades, taker_buy_base_volume, taker_buy_quote_volume, is_partial].
    static func groupBy(_ db: Database, step: Int64, exchange: String, symbol: String) throws -> [[Int64]] {
        try Row.fetchAll(
            db,
            sql: """
                WITH m AS (
                    SELECT *, open_time - open_time % :step AS bucket FROM tickerdata_1m WHERE exchange = :exchange AND symbol = :symbol),
                newest AS (SELECT MAX(open_time) AS t FROM m)
                SELECT bucket,
                       (SELECT open FROM m AS f WHERE f.bucket = m.bucket ORDER BY open_time LIMIT 1),
                       MAX(high), MIN(low),
                       (SELECT close FROM m AS l WHERE l.bucket = m.bucket ORDER BY open_time DESC LIMIT 1),
                       SUM(volume), SUM(quote_volume), SUM(trades), SUM(taker_buy_base_volume), SUM(taker_buy_quote_volume),
                       bucket + :step - 60000000 > (SELECT t FROM newest)
                FROM m GROUP BY bucket ORDER BY bucket
                """, arguments: ["step": step, "exchange": exchange, "symbol": symbol]
        ).map { row in (0..<11).map { row[$0] as Int64 } }
    }

    static func stored(_ db: Database, _ interval: KlineInterval, exchange: String, symbol: String) throws -> [[Int64]] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT open_time, open, high, low, close, volume, quote_volume, trades, taker_buy_base_volume,
                       taker_buy_quote_volume, is_partial
                FROM \(interval.tableName) WHERE exchange = ? AND symbol = ? ORDER BY open_time
                """, arguments: [exchange, symbol]
        ).map { row in (0..<11).map { row[$0] as Int64 } }
    }

    static func expectEqualToGroupBy(_ warehouse: KlineWarehouse, exchange: ExchangeID, symbol: String) throws {
        try warehouse.read { db in
            for interval in KlineWarehouse.resampledIntervals {
                let expected = try groupBy(db, step: interval.microseconds!, exchange: exchange.rawValue, symbol: symbol)
                let actual = try stored(db, interval, exchange: exchange.rawValue, symbol: symbol)
                #expect(actual == expected, "\(interval.rawValue): \(actual.count) buckets stored, \(expected.count) by GROUP BY")
            }
        }
    }

    @Test func everyIntervalEqualsTheGroupByAsMinutesArrive() throws {
        let warehouse = try KlineWarehouse()
        let day = try Self.day()
        let all = KlineWarehouse.resampledIntervals
        // 1. Until 16:39, without 03:10–03:24 (a gap the archive fills later).
        let gap = 190..<205
        let first = Array(day[0..<1000]).enumerated().filter { !gap.contains($0.offset) }.map(\.element)
        try warehouse.insert(first, symbol: "BTCUSDT", interval: .oneMinute)
        let outcome = try warehouse.resample(symbol: "BTCUSDT", intervals: all)
        try Self.expectEqualToGroupBy(warehouse, exchange: .binance, symbol: "BTCUSDT")
        // 16:39 closes the 16:35 five-minute bucket but not the 16:00 hour, nor the day.
        #expect(outcome.partial[.fiveMinutes] == nil)
        #expect(outcome.partial[.oneHour] == day[960].openTime && outcome.partial[.oneDay] == day[0].openTime)
        #expect(try warehouse.partialBuckets(symbol: "BTCUSDT", interval: .fourHours) == [day[960].openTime])
        #expect(outcome.written[.oneDay] == 1 && outcome.written[.oneHour] == 17)

        // 2. The gap's minutes arrive late: resampled from where they start.
        try warehouse.insert(Array(day[gap]), symbol: "BTCUSDT", interval: .oneMinute)
        try warehouse.resample(symbol: "BTCUSDT", intervals: all, from: day[gap.lowerBound].openTime)
        try Self.expectEqualToGroupBy(warehouse, exchange: .binance, symbol: "BTCUSDT")

        // 3. The rest of the day: the partial buckets are replaced complete; again is a no-op.
        try warehouse.insert(Array(day[1000...]), symbol: "BTCUSDT", interval: .oneMinute)
        let second = try warehouse.resample(symbol: "BTCUSDT", intervals: all)
        try Self.expectEqualToGroupBy(warehouse, exchange: .binance, symbol: "BTCUSDT")
        #expect(second.partial.isEmpty)
        #expect(second.written[.oneDay] == 1 && second.written[.oneHour] == 8)  // 16:00 rebuilt complete, then 17:00 … 23:00
        let hourly = try warehouse.klines(symbol: "BTCUSDT", interval: .oneHour)
        #expect(hourly.count == 24 && hourly.allSatisfy { $0.closeTime == $0.openTime + 3_599_999_000 })
        let before = try warehouse.read { db in try Self.stored(db, .fifteenMinutes, exchange: "binance", symbol: "BTCUSDT") }
        #expect(try warehouse.resample(symbol: "BTCUSDT", intervals: all).written.isEmpty)
        #expect(try warehouse.read { db in try Self.stored(db, .fifteenMinutes, exchange: "binance", symbol: "BTCUSDT") } == before)
    }

    @Test func eachExchangeIsResampledOnItsOwn() throws {
        let warehouse = try KlineWarehouse()
        let day = try Self.day()
        try warehouse.insert(Array(day[0..<300]), exchange: .kucoin, symbol: "BTCUSDT", interval: .oneMinute)
        try warehouse.insert(Array(day[0..<100]), symbol: "BTCUSDT", interval: .oneMinute)
        try warehouse.resample(exchange: .kucoin, symbol: "BTCUSDT", intervals: [.oneHour, .fiveMinutes])
        try warehouse.resample(symbol: "BTCUSDT", intervals: [.oneHour, .fiveMinutes])
        #expect(try warehouse.klines(exchange: .kucoin, symbol: "BTCUSDT", interval: .oneHour).count == 5)
        #expect(try warehouse.klines(symbol: "BTCUSDT", interval: .oneHour).count == 2)
        #expect(try warehouse.partialBuckets(symbol: "BTCUSDT", interval: .oneHour) == [day[60].openTime])
        #expect(try warehouse.partialBuckets(exchange: .kucoin, symbol: "BTCUSDT", interval: .oneHour).isEmpty)
    }

    @Test func intervalsOffTheEpochGridAreRefused() throws {
        let error = #expect(throws: ResampleError.self) { try KlineWarehouse().resample(symbol: "BTCUSDT", intervals: [.oneWeek]) }
        #expect(error?.description.hasPrefix("interval 1w is not resampled") == true)
    }
}
