import Foundation
import GRDB
import MarketData
import Testing

@Suite("Warehouse: forward-filled minutes")
struct WarehouseForwardFillTests {
    static let minute: Int64 = 60_000_000
    static let start: Int64 = 1_767_225_600_000_000  // 2026-01-01T00:00:00Z

    static func kline(_ index: Int, close: Int64) -> Kline {
        let time = start + Int64(index) * minute
        return Kline(
            openTime: time, open: FixedDecimal(units: close), high: FixedDecimal(units: close),
            low: FixedDecimal(units: close), close: FixedDecimal(units: close), volume: FixedDecimal(units: 100),
            closeTime: time + minute - 1_000, quoteVolume: FixedDecimal(units: 100), trades: 1,
            takerBuyBaseVolume: FixedDecimal(units: 50), takerBuyQuoteVolume: FixedDecimal(units: 50))
    }

    @Test func fillsMissingMinutesApartFromRealCandles() throws {
        let warehouse = try KlineWarehouse()
        #expect(try warehouse.appliedMigrations().contains("v2-filled-klines"))
        // Minutes 0, 1, 5 and 6 exist; 2, 3 and 4 are missing.
        _ = try warehouse.insert(
            [0, 1, 5, 6].map { Self.kline($0, close: Int64($0 + 1) * 100_000_000) },
            symbol: "TESTUSDT", interval: .oneMinute)
        let end = Self.start + 7 * Self.minute
        #expect(try warehouse.forwardFill(symbol: "TESTUSDT", from: Self.start, to: end) == 3)
        #expect(
            try warehouse.filledMinutes(symbol: "TESTUSDT", from: Self.start, to: end)
                == [2, 3, 4].map { Self.start + Int64($0) * Self.minute })
        // Filled minutes carry the previous close and stay out of the real candles.
        let closes = try warehouse.read { db in
            try Int64.fetchAll(db, sql: "SELECT close FROM tickerdata_1m_filled WHERE symbol = 'TESTUSDT'")
        }
        #expect(closes == [200_000_000, 200_000_000, 200_000_000])
        #expect(try warehouse.klines(symbol: "TESTUSDT").count == 4)
        // Idempotent.
        #expect(try warehouse.forwardFill(symbol: "TESTUSDT", from: Self.start, to: end) == 3)
        #expect(try warehouse.filledMinutes(symbol: "TESTUSDT", from: Self.start, to: end).count == 3)
    }

    @Test func aRealCandleArrivingLaterReplacesItsFill() throws {
        let warehouse = try KlineWarehouse()
        _ = try warehouse.insert([0, 4].map { Self.kline($0, close: 100_000_000) }, symbol: "TESTUSDT", interval: .oneMinute)
        let end = Self.start + 5 * Self.minute
        #expect(try warehouse.forwardFill(symbol: "TESTUSDT", from: Self.start, to: end) == 3)
        _ = try warehouse.insert([Self.kline(2, close: 300_000_000)], symbol: "TESTUSDT", interval: .oneMinute)
        #expect(try warehouse.forwardFill(symbol: "TESTUSDT", from: Self.start, to: end) == 2)
        #expect(
            try warehouse.filledMinutes(symbol: "TESTUSDT", from: Self.start, to: end)
                == [1, 3].map { Self.start + Int64($0) * Self.minute })
        let third = try warehouse.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT close FROM tickerdata_1m_filled WHERE open_time = ?",
                arguments: [Self.start + 3 * Self.minute])
        }
        #expect(third == 300_000_000)
    }
}
