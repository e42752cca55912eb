import Foundation
import Testing

@testable import MarketData

/// Partition states from the 1-minute candles: missing, partial, loaded; a recorded failure holds
/// until the month is complete.
@Suite("Partitions")
struct PartitionStateTests {
    static func minute(_ openTime: Int64) -> Kline {
        let price = FixedDecimal(units: 100)
        return Kline(
            openTime: openTime, open: price, high: price, low: price, close: price, volume: price, closeTime: openTime + 59_999_999,
            quoteVolume: price, trades: 1, takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
    }

    @Test func statesFollowTheDaysLoaded() throws {
        let warehouse = try KlineWarehouse()
        let day = UTCCalendar.microsecondsPerDay
        let february = UTCCalendar.microseconds(year: 2024, month: 2, day: 1)
        let march = UTCCalendar.microseconds(year: 2024, month: 3, day: 1)
        // Every day of February, two days of March; "now" is 2024-03-10 12:00.
        try warehouse.insert((0..<29).map { Self.minute(february + Int64($0) * day) }, symbol: "BTCUSDT", interval: .oneMinute)
        try warehouse.insert([Self.minute(march), Self.minute(march + day)], symbol: "BTCUSDT", interval: .oneMinute)
        let now = Date(micros: march + 9 * day + day / 2)
        let states = try warehouse.refreshPartitions(symbol: "BTCUSDT", months: ["2024-01", "2024-02", "2024-03"], now: now)
        #expect(states.map(\.state) == [.missing, .loaded, .partial])
        #expect(states.map(\.daysLoaded) == [0, 29, 2] && states.map(\.daysExpected) == [31, 29, 9])
        #expect(try warehouse.partitions(states: [.partial]).map(\.month) == ["2024-03"])

        try warehouse.recordPartitionFailure(symbol: "BTCUSDT", month: "2024-01", error: "BTCUSDT-1m-2024-01.zip: HTTP 500", at: now)
        #expect(try warehouse.refreshPartitions(symbol: "BTCUSDT", months: ["2024-01"], now: now).first?.state == .failed)
        #expect(try warehouse.partitions(symbol: "BTCUSDT", states: [.failed]).first?.error == "BTCUSDT-1m-2024-01.zip: HTTP 500")
        // The month loads: the failure is over.
        let january = UTCCalendar.microseconds(year: 2024, month: 1, day: 1)
        try warehouse.insert((0..<31).map { Self.minute(january + Int64($0) * day) }, symbol: "BTCUSDT", interval: .oneMinute)
        let loaded = try #require(try warehouse.refreshPartitions(symbol: "BTCUSDT", months: ["2024-01"], now: now).first)
        #expect(loaded.state == .loaded && loaded.error == nil)
        // Other exchanges have partitions of their own.
        #expect(
            try warehouse.refreshPartitions(exchange: .kucoin, symbol: "BTCUSDT", months: ["2024-02"], now: now).first?.state == .missing)
        #expect(throws: PartitionError.self) { try warehouse.refreshPartitions(symbol: "BTCUSDT", months: ["2024-13"], now: now) }
    }

    @Test func monthsOfAWindow() {
        let start = UTCCalendar.microseconds(year: 2023, month: 11, day: 15)
        let end = UTCCalendar.microseconds(year: 2024, month: 2, day: 1) - 1
        #expect(PartitionState.months(from: start, to: end) == ["2023-11", "2023-12", "2024-01"])
    }
}
