import Foundation
import GRDB
import Indicators
import MarketData
import Testing

@testable import MarketPipeline
@testable import UpdraftDAGs

/// Indicators at a resampled interval: computed over `tickerdata_5m`'s complete buckets, equal to
/// TA-Lib's functions over 5-minute candles built independently by an SQL `GROUP BY` of the
/// 1-minute candles; the partial bucket gets its row once complete.
@Suite("indicators: per configured interval")
struct IndicatorIntervalTests {
    static let minute = IndicatorUpdateTests.minute
    static let step: Int64 = 5 * 60_000_000

    /// The 5-minute candles of `symbol` from an SQL `GROUP BY` over its 1-minute candles, complete
    /// buckets only (the bucket's last minute is not after the newest minute stored).
    static func groupedCandles(_ warehouse: KlineWarehouse, symbol: String) throws -> CandleSeries {
        let rows = try warehouse.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.bucket, o.open, g.high, g.low, c.close, g.volume FROM (
                        SELECT open_time / :step * :step AS bucket, MIN(open_time) AS first, MAX(open_time) AS last,
                               MAX(high) AS high, MIN(low) AS low, SUM(volume) AS volume
                        FROM tickerdata_1m WHERE exchange = 'binance' AND symbol = :symbol GROUP BY bucket) g
                    JOIN tickerdata_1m o ON o.exchange = 'binance' AND o.symbol = :symbol AND o.open_time = g.first
                    JOIN tickerdata_1m c ON c.exchange = 'binance' AND c.symbol = :symbol AND c.open_time = g.last
                    WHERE g.bucket + :step - :minute <= (SELECT MAX(open_time) FROM tickerdata_1m WHERE symbol = :symbol)
                    ORDER BY g.bucket
                    """, arguments: ["step": step, "minute": minute, "symbol": symbol])
        }
        func price(_ row: Row, _ column: Int) -> Double { Double(row[column] as Int64) / 1e8 }
        return CandleSeries(
            openTime: rows.map { $0[0] }, open: rows.map { price($0, 1) }, high: rows.map { price($0, 2) },
            low: rows.map { price($0, 3) }, close: rows.map { price($0, 4) }, volume: rows.map { price($0, 5) })
    }

    /// The fifteen standard columns from TA-Lib's functions, in `IndicatorSet.columns` order.
    static func taLib(_ c: CandleSeries) -> IndicatorSet {
        let macd = TA.macd(c.close, fast: 12, slow: 26, signal: 9)
        let bands = TA.bbands(c.close, period: 20, deviationsUp: 2, deviationsDown: 2)
        let stoch = TA.stoch(high: c.high, low: c.low, close: c.close, fastK: 5, slowK: 3, slowD: 3)
        return IndicatorSet(values: [
            TA.sma(c.close, period: 20), TA.ema(c.close, period: 20), TA.rsi(c.close, period: 14),
            macd.macd, macd.signal, macd.histogram, bands.upper, bands.middle, bands.lower,
            TA.atr(high: c.high, low: c.low, close: c.close, period: 14), TA.obv(close: c.close, volume: c.volume),
            TA.vwap(high: c.high, low: c.low, close: c.close, volume: c.volume), stoch.k, stoch.d,
            TA.adx(high: c.high, low: c.low, close: c.close, period: 14),
        ])
    }

    @Test func fiveMinuteIndicatorsEqualTALibOverTheGroupedMinutes() throws {
        #expect(
            IndicatorSet.columns == [
                "sma20", "ema20", "rsi14", "macd", "macd_signal", "macd_hist", "bb_upper", "bb_middle", "bb_lower",
                "atr14", "obv", "vwap", "stoch_k", "stoch_d", "adx14",
            ])
        let (warehouse, store, folder) = try IndicatorUpdateTests.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 3,003 minutes with every 7th missing: 600 whole buckets, then a partial one (3 minutes of 5).
        let all = IndicatorUpdateTests.candles(0..<3_003, skipEvery: 7)
        _ = try warehouse.insert(all, symbol: "TESTUSDT", interval: .oneMinute)
        let resampled = try warehouse.resample(symbol: "TESTUSDT", intervals: [.fiveMinutes])
        let partial = IndicatorUpdateTests.start + 600 * Self.step
        #expect(resampled.partial[.fiveMinutes] == partial)

        let now = IndicatorUpdateTests.closed(after: 3_002)
        let outcome = try IndicatorUpdate.run(symbol: "TESTUSDT", interval: .fiveMinutes, warehouse: warehouse, store: store, now: now)
        #expect(outcome.mode == .fromScratch)
        #expect(outcome.written == 600)
        let expected = try Self.groupedCandles(warehouse, symbol: "TESTUSDT")
        #expect(expected.count == 600)
        let stored = try store.outputs(symbol: "TESTUSDT", interval: .fiveMinutes)
        #expect(stored.openTimes == expected.openTime)
        #expect(!stored.openTimes.contains(partial))
        IndicatorUpdateTests.expectSameBits(stored.set, Self.taLib(expected), "5m indicators vs TA-Lib over GROUP BY")
        // The 1-minute table is untouched by the 5-minute run.
        #expect(try store.outputs(symbol: "TESTUSDT").openTimes.isEmpty)

        // The partial bucket completes (and the next one starts, partial): the next run adds one row,
        // resuming from the stored state.
        _ = try warehouse.insert(
            IndicatorUpdateTests.candles(3_003..<3_008), symbol: "TESTUSDT", interval: .oneMinute)
        _ = try warehouse.resample(symbol: "TESTUSDT", intervals: [.fiveMinutes])
        let next = try IndicatorUpdate.run(
            symbol: "TESTUSDT", interval: .fiveMinutes, warehouse: warehouse, store: store,
            now: IndicatorUpdateTests.closed(after: 3_007))
        #expect(next.mode == .resumed)
        #expect(next.written == 1)
        let grown = try Self.groupedCandles(warehouse, symbol: "TESTUSDT")
        #expect(grown.count == 601)
        let after = try store.outputs(symbol: "TESTUSDT", interval: .fiveMinutes)
        #expect(after.openTimes == grown.openTime)
        IndicatorUpdateTests.expectSameBits(after.set, Self.taLib(grown), "after the partial bucket completed")

        // A backfill brings the missing minutes of the first hour: its buckets are rebuilt (same
        // count, other values), so the next run starts again from scratch.
        _ = try warehouse.insert(IndicatorUpdateTests.candles(0..<60), symbol: "TESTUSDT", interval: .oneMinute)
        _ = try warehouse.resample(symbol: "TESTUSDT", intervals: [.fiveMinutes], from: IndicatorUpdateTests.start)
        let rebuilt = try IndicatorUpdate.run(
            symbol: "TESTUSDT", interval: .fiveMinutes, warehouse: warehouse, store: store,
            now: IndicatorUpdateTests.closed(after: 3_007))
        #expect(rebuilt.mode == .fromScratch)
        let backfilled = try Self.groupedCandles(warehouse, symbol: "TESTUSDT")
        #expect(backfilled.count == 601)
        IndicatorUpdateTests.expectSameBits(
            try store.outputs(symbol: "TESTUSDT", interval: .fiveMinutes).set, Self.taLib(backfilled), "after a backfill")
    }

    @Test func forwardFilledMinutesAreIncludedOnlyWhenAsked() throws {
        let (warehouse, store, folder) = try IndicatorUpdateTests.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Every 10th minute missing; forward fill adds them back at the previous close, volume 0.
        let real = IndicatorUpdateTests.candles(0..<400, skipEvery: 10)
        _ = try warehouse.insert(real, symbol: "TESTUSDT", interval: .oneMinute)
        let end = IndicatorUpdateTests.start + 400 * Self.minute
        let filled = try warehouse.forwardFill(symbol: "TESTUSDT", from: IndicatorUpdateTests.start, to: end)
        #expect(filled == 39)  // minute 0 has no previous candle

        let rows = try warehouse.klinesIncludingFilled(symbol: "TESTUSDT")
        #expect(rows.count == 399)
        #expect(rows.filter(\.isFilled).count == 39)
        for (index, row) in rows.enumerated() where row.isFilled {
            let previous = rows[index - 1].kline
            #expect(row.kline.open == previous.close && row.kline.close == previous.close && row.kline.volume == .zero)
        }

        let now = IndicatorUpdateTests.closed(after: 399)
        let without = try IndicatorUpdate.run(symbol: "TESTUSDT", warehouse: warehouse, store: store, now: now)
        #expect(without.bars == 360)
        let with = try IndicatorUpdate.run(symbol: "TESTUSDT", includingFilled: true, warehouse: warehouse, store: store, now: now)
        #expect(with.mode == .fromScratch)  // the included candles changed: 399, not 360
        #expect(with.bars == 399)
        let series = CandleSeries(rows.map(\.kline))
        let stored = try store.outputs(symbol: "TESTUSDT")
        #expect(stored.openTimes == series.openTime)
        IndicatorUpdateTests.expectSameBits(stored.set, Self.taLib(series), "1m indicators over real and filled minutes")
        // Resampling reads real minutes only: the 5-minute buckets equal the GROUP BY over tickerdata_1m.
        _ = try warehouse.resample(symbol: "TESTUSDT", intervals: [.fiveMinutes])
        #expect(
            try warehouse.candles(symbol: "TESTUSDT", interval: .fiveMinutes) == (try Self.groupedCandles(warehouse, symbol: "TESTUSDT")))
    }
}
