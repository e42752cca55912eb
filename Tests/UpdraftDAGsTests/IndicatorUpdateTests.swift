import Foundation
import GRDB
import Indicators
import MarketData
import Testing

@testable import MarketPipeline
@testable import UpdraftDAGs

@Suite("indicators: incremental runs equal a run from scratch")
struct IndicatorUpdateTests {
    static let minute: Int64 = 60_000_000
    static let start: Int64 = 1_767_225_600_000_000  // 2026-01-01T00:00:00Z

    /// A random walk of `count` candles from minute `first`, every `skip`-th minute missing.
    static func candles(_ range: Range<Int>, seed: UInt64 = 7, skipEvery skip: Int? = nil) -> [Kline] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var price = 100.0
        var out: [Kline] = []
        for index in 0..<range.upperBound {
            let open = price
            price *= 1 + (next() - 0.5) * 0.004
            let high = max(open, price) * (1 + next() * 0.001), low = min(open, price) * (1 - next() * 0.001)
            guard index >= range.lowerBound, skip.map({ index % $0 != 0 }) ?? true else { continue }
            func fixed(_ value: Double) -> FixedDecimal { FixedDecimal(units: Int64((value * 1e8).rounded())) }
            let time = start + Int64(index) * minute
            out.append(
                Kline(
                    openTime: time, open: fixed(open), high: fixed(high), low: fixed(low), close: fixed(price),
                    volume: fixed(10 + next() * 90), closeTime: time + minute - 1_000,
                    quoteVolume: fixed(1_000), trades: 10, takerBuyBaseVolume: fixed(5),
                    takerBuyQuoteVolume: fixed(500)))
        }
        return out
    }

    static func stores() throws -> (KlineWarehouse, IndicatorStore, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-ind-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/market.db"
        let database = try MarketDatabase(path: path)
        return (KlineWarehouse(database: database), IndicatorStore(database: database), folder)
    }

    /// The time just after candle `index` closed.
    static func closed(after index: Int) -> Date { Date(micros: start + Int64(index + 1) * minute) }

    static func expectSameBits(_ stored: IndicatorSet, _ expected: IndicatorSet, _ comment: Comment) {
        #expect(stored.count == expected.count, comment)
        for (column, name) in IndicatorSet.columns.enumerated() {
            let mismatches = zip(stored.values[column], expected.values[column]).filter { a, b in
                !(a.isNaN && b.isNaN) && a.bitPattern != b.bitPattern
            }
            #expect(mismatches.isEmpty, "\(comment): column \(name) differs in \(mismatches.count) rows")
        }
    }

    @Test func stepsGiveTheValuesOfOneComputation() throws {
        let (warehouse, store, folder) = try Self.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let all = Self.candles(0..<3_000)
        var outcomes: [IndicatorUpdate.Outcome] = []
        // Runs at uneven points, including one inside the indicators' lookbacks and one with nothing new.
        for end in [10, 40, 40, 1_234, 3_000] {
            let already = outcomes.last?.bars ?? 0
            _ = try warehouse.insert(Array(all[already..<end]), symbol: "TESTUSDT", interval: .oneMinute)
            outcomes.append(
                try IndicatorUpdate.run(
                    symbol: "TESTUSDT", warehouse: warehouse, store: store,
                    now: Self.closed(after: end - 1)))
        }
        #expect(outcomes[0].mode == .fromScratch)
        #expect(outcomes[1...].allSatisfy { [.resumed, .upToDate].contains($0.mode) })
        #expect(outcomes[2].mode == .upToDate)
        #expect(outcomes.map(\.written) == [10, 30, 0, 1_194, 1_766])
        let stored = try store.outputs(symbol: "TESTUSDT")
        #expect(stored.openTimes == all.map(\.openTime))
        let scratch = StandardIndicators.compute(OHLCV(try warehouse.candles(symbol: "TESTUSDT")))
        Self.expectSameBits(stored.set, scratch, "stepwise vs from scratch")
    }

    /// From scratch, the outputs are computed and written a chunk at a time (reused buffers, one
    /// transaction): the stored rows are the whole computation's bits, and a later run resumes.
    @Test func aComputationWrittenInChunksStoresTheWholeComputation() throws {
        let (warehouse, store, folder) = try Self.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let all = Self.candles(0..<3_000)
        _ = try warehouse.insert(Array(all[0..<2_500]), symbol: "TESTUSDT", interval: .oneMinute)
        let first = try IndicatorUpdate.run(
            symbol: "TESTUSDT", warehouse: warehouse, store: store, now: Self.closed(after: 2_499), chunkBars: 333)
        #expect(first.mode == .fromScratch && first.written == 2_500)
        _ = try warehouse.insert(Array(all[2_500...]), symbol: "TESTUSDT", interval: .oneMinute)
        let next = try IndicatorUpdate.run(
            symbol: "TESTUSDT", warehouse: warehouse, store: store, now: Self.closed(after: 2_999), chunkBars: 333)
        #expect(next.mode == .resumed && next.written == 500)
        let stored = try store.outputs(symbol: "TESTUSDT")
        #expect(stored.openTimes == all.map(\.openTime))
        let scratch = StandardIndicators.compute(OHLCV(try warehouse.candles(symbol: "TESTUSDT")))
        Self.expectSameBits(stored.set, scratch, "written in chunks vs one computation")
    }

    @Test func theOpenCandleWaitsForTheNextRun() throws {
        let (warehouse, store, folder) = try Self.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try warehouse.insert(Self.candles(0..<100), symbol: "TESTUSDT", interval: .oneMinute)
        // 30 s into candle 99: it is still open.
        let outcome = try IndicatorUpdate.run(
            symbol: "TESTUSDT", warehouse: warehouse, store: store,
            now: Self.closed(after: 98).addingTimeInterval(30))
        #expect(outcome.written == 99)
        let next = try IndicatorUpdate.run(
            symbol: "TESTUSDT", warehouse: warehouse, store: store,
            now: Self.closed(after: 99))
        #expect(next.written == 1)
        #expect(try store.outputs(symbol: "TESTUSDT").openTimes.count == 100)
    }

    @Test func historyChangingUnderTheCheckpointRecomputesFromScratch() throws {
        let (warehouse, store, folder) = try Self.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Every 50th minute missing, then the gaps are filled (as a late archive file would).
        _ = try warehouse.insert(Self.candles(0..<2_000, skipEvery: 50), symbol: "TESTUSDT", interval: .oneMinute)
        let first = try IndicatorUpdate.run(
            symbol: "TESTUSDT", warehouse: warehouse, store: store,
            now: Self.closed(after: 1_999))
        #expect(first.written == 1_960)
        _ = try warehouse.insert(Self.candles(0..<2_500), symbol: "TESTUSDT", interval: .oneMinute)
        let second = try IndicatorUpdate.run(
            symbol: "TESTUSDT", warehouse: warehouse, store: store,
            now: Self.closed(after: 2_499))
        #expect(second.mode == .fromScratch)
        #expect(second.bars == 2_500)
        let stored = try store.outputs(symbol: "TESTUSDT")
        #expect(stored.openTimes.count == 2_500)
        Self.expectSameBits(
            stored.set, StandardIndicators.compute(OHLCV(try warehouse.candles(symbol: "TESTUSDT"))),
            "after gaps were filled")
    }

    @Test func undefinedValuesAreStoredAsNull() throws {
        let (warehouse, store, folder) = try Self.stores()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try warehouse.insert(Self.candles(0..<30), symbol: "TESTUSDT", interval: .oneMinute)
        _ = try IndicatorUpdate.run(symbol: "TESTUSDT", warehouse: warehouse, store: store, now: Self.closed(after: 29))
        let nulls = try store.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicators_1m WHERE sma20 IS NULL")
        }
        #expect(nulls == 19)  // SMA(20)'s lookback
        let migrations = try store.database.appliedMigrations()
        #expect(migrations.contains("indicators-v1"))
    }
}
