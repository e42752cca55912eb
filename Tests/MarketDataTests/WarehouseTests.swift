import Foundation
import GRDB
import Testing

@testable import MarketData

@Suite struct WarehouseTests {
    static func fixtureSources() -> [KlineArchiveSource] {
        CodecFixtures.zips.map { KlineArchiveSource.file(path: $0.path) }
            + CodecFixtures.csvs.map { KlineArchiveSource.file(path: $0.path) }
    }

    static func tableDump(_ warehouse: KlineWarehouse) throws -> [String: [Kline]] {
        var out: [String: [Kline]] = [:]
        for stat in try warehouse.stats() {
            out["\(stat.symbol) \(stat.interval.rawValue)"] = try warehouse.klines(symbol: stat.symbol, interval: stat.interval)
        }
        return out
    }

    @Test func importsEveryFixtureAndReadsItBack() async throws {
        let warehouse = try KlineWarehouse()
        #expect(try warehouse.appliedMigrations().starts(with: ["v1-klines", "v1-symbols"]))
        let results = warehouse.importArchives(Self.fixtureSources())
        let loads = try results.map { try $0.get() }
        #expect(loads.map(\.rows) == [1440, 1440, 1440, 24, 24, 1440, 744])
        #expect(loads.prefix(5).allSatisfy { $0.checksumVerified })
        let stats = try warehouse.stats()
        #expect(stats.map(\.interval) == [.oneMinute, .oneHour])
        #expect(stats.map(\.rows) == [1440 * 4, 24 * 2 + 744])
        #expect(stats[0].firstOpenTime == UTCCalendar.microseconds(year: 2020, month: 1, day: 1))
        #expect(stats[1].lastOpenTime == UTCCalendar.microseconds(year: 2026, month: 5, day: 9) + 23 * 3_600_000_000)
        // The rows read back are exactly what the file parsed to.
        let csv = try CodecFixtures.bytes(CodecFixtures.csvs[0])
        let parsed = try KlineCSV.parse(csv, source: "x")
        let day = KlinePeriod.day(year: 2024, month: 9, day: 21)
        #expect(try warehouse.klines(symbol: "BTCUSDT", interval: .oneMinute, from: day.start, to: day.end) == parsed)
        let series = try warehouse.candles(symbol: "BTCUSDT", from: day.start, to: day.end)
        #expect(series == CandleSeries(parsed))
    }

    @Test func importIsIdempotentAndSkipsLoadedFiles() async throws {
        let warehouse = try KlineWarehouse()
        _ = warehouse.importArchives(Self.fixtureSources())
        let before = try Self.tableDump(warehouse)
        let again = try warehouse.importArchives(Self.fixtureSources()).map { try $0.get() }
        #expect(again.allSatisfy { $0.skipped })
        let forced = try warehouse.importArchives(Self.fixtureSources(), skipLoaded: false).map { try $0.get() }
        #expect(forced.allSatisfy { !$0.skipped && $0.rows > 0 })
        #expect(try Self.tableDump(warehouse) == before)
        let ledger = try #require(try warehouse.loadedArchive(named: "BTCUSDT-1m-2020-01-01.zip"))
        #expect(ledger.sha256 == "dd579c62368ded93d3f01a1904575b932279e32936e181c062763e605793c1c2")
        #expect(ledger.rows == 1440)
    }

    @Test func anArchiveReplacesCandlesItsPeriodAlreadyHolds() async throws {
        // A file into a period with no candles is stored with a plain INSERT; one into a period
        // that holds some (here from REST, with other prices) must replace them, not fail.
        let warehouse = try KlineWarehouse()
        let csv = CodecFixtures.csvs[0]  // BTCUSDT 1m, 2024-09-21
        let parsed = try KlineCSV.parse(try CodecFixtures.bytes(csv), source: csv.lastPathComponent)
        let day = KlinePeriod.day(year: 2024, month: 9, day: 21)
        let minute: Int64 = 60_000_000
        let stored = [
            WarehouseExchangeTests.candle(day.start - minute, close: 1),  // the day before: kept
            WarehouseExchangeTests.candle(day.start, close: 2),  // the period's first minute, alone in it
        ]
        try warehouse.insert(stored, symbol: "BTCUSDT", interval: .oneMinute)
        let load = try warehouse.importArchives([.file(path: csv.path)])[0].get()
        #expect(load.rows == 1440)
        #expect(try warehouse.klines(symbol: "BTCUSDT", interval: .oneMinute, from: day.start, to: day.end) == parsed)
        #expect(try warehouse.klines(symbol: "BTCUSDT", interval: .oneMinute).first == stored[0])
        #expect(try warehouse.stats().map(\.rows) == [1441])
        // A file of a period with candles of another exchange only: the plain INSERT stores it
        // whole, and theirs stay.
        let other = WarehouseExchangeTests.candle(UTCCalendar.microseconds(year: 2020, month: 1, day: 1), close: 4)
        try warehouse.insert([other], exchange: .kucoin, symbol: "BTCUSDT", interval: .oneMinute)
        let next = try warehouse.importArchives([.file(path: CodecFixtures.zips[0].path)])[0].get()
        #expect(next.rows == 1440)
        #expect(try warehouse.stats().map(\.rows) == [2881])
        #expect(try warehouse.klines(exchange: .kucoin, symbol: "BTCUSDT") == [other])
        // Only a file's last chunk ends in one-row statements.
        #expect(KlineWarehouse.importChunkRows % KlineWarehouse.rowsPerStatement == 0)
    }

    /// The plain path's `INSERT OR ROLLBACK`: a stored candle met part-way through a statement of
    /// many rows fails the call and takes the caller's whole transaction back (its load too), and
    /// the connection goes on as before.
    @Test func aPlainInsertThatMeetsAStoredCandleRollsBackTheWholeTransaction() throws {
        let warehouse = try KlineWarehouse()
        let start: Int64 = 1_709_251_200_000_000, minute: Int64 = 60_000_000
        let klines = (0..<(2 * KlineWarehouse.rowsPerStatement)).map {
            WarehouseExchangeTests.candle(start + Int64($0) * minute, close: Int64($0))
        }
        try warehouse.insert([klines[100]], symbol: "ETHUSDT", interval: .oneMinute)
        let ledger = try warehouse.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM load_ledger") }
        var transactionOpenAfterFailure = true
        let error = #expect(throws: DatabaseError.self) {
            try warehouse.writer.write { db in
                let load = try KlineWarehouse.recordLoad(
                    db, exchange: .binance, symbol: "ETHUSDT", interval: .oneMinute, source: "test", klines: klines, at: Date())
                do {
                    _ = try KlineWarehouse.insert(klines, symbol: "ETHUSDT", interval: .oneMinute, load: load, replacing: false, in: db)
                } catch {
                    // SQLite has already ended the transaction (no statement journal to undo one statement).
                    transactionOpenAfterFailure = db.isInsideTransaction
                    throw error
                }
            }
        }
        #expect(!transactionOpenAfterFailure)
        #expect(error?.resultCode == .SQLITE_CONSTRAINT)
        #expect(error?.sql == "INSERT OR ROLLBACK INTO tickerdata_1m (64 rows)")
        #expect(try warehouse.klines(symbol: "ETHUSDT") == [klines[100]])
        #expect(try warehouse.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM load_ledger") } == ledger)
        // Going on after the failure, outside any transaction, is refused.
        let misuse = #expect(throws: DatabaseError.self) {
            try warehouse.writer.writeWithoutTransaction { db in
                _ = try KlineWarehouse.insert(klines, symbol: "ETHUSDT", interval: .oneMinute, load: 1, replacing: false, in: db)
            }
        }
        #expect(misuse?.resultCode == .SQLITE_MISUSE)
        // The same connection writes on.
        try warehouse.insert(klines, symbol: "ETHUSDT", interval: .oneMinute)
        #expect(try warehouse.klines(symbol: "ETHUSDT") == klines)
    }

    @Test func klinesGoInStatementsOfManyRowsAndTheLastOfAMinuteWins() throws {
        // 3 statements of 64 rows and 8 one-row ones; then a second load over a span that crosses
        // statements, with one minute twice in a statement: the later row is the one kept.
        let warehouse = try KlineWarehouse()
        let start: Int64 = 1_709_251_200_000_000, minute: Int64 = 60_000_000
        let batch = KlineWarehouse.rowsPerStatement
        let first = (0..<(3 * batch + 8)).map { WarehouseExchangeTests.candle(start + Int64($0) * minute, close: Int64($0)) }
        try warehouse.insert(first, symbol: "ETHUSDT", interval: .oneMinute)
        #expect(try warehouse.klines(symbol: "ETHUSDT") == first)
        var second = (60..<130).map { WarehouseExchangeTests.candle(start + Int64($0) * minute, close: 1_000 + Int64($0)) }
        second.insert(WarehouseExchangeTests.candle(start + 100 * minute, close: 7), at: 30)  // minute 100, then again
        try warehouse.insert(second, symbol: "ETHUSDT", interval: .oneMinute)
        let closes = try warehouse.klines(symbol: "ETHUSDT").map(\.close.units)
        #expect(closes.count == first.count)
        #expect(closes[59] == 59 && closes[60] == 1_060 && closes[100] == 1_100 && closes[129] == 1_129 && closes[130] == 130)
    }

    @Test func anImportOfSeveralFilesCheckpointsAsItGoesAndRestoresTheWritersSettings() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-checkpoint-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let warehouse = try KlineWarehouse(home: home)
        let file = (home as NSString).appendingPathComponent("market.db")
        func size(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 }
        let migrated = try size(file)
        let results = try warehouse.importArchives(Self.fixtureSources()).map { try $0.get() }
        #expect(results.allSatisfy { !$0.skipped && $0.rows > 0 })
        // A few thousand rows stay far below SQLite's automatic checkpoint (1000 pages): the
        // rows reached the database file, with the pool still open, only through the import's
        // own checkpoints.
        #expect(try size(file) > migrated + 16_384)
        // The writer's settings for the import (no automatic checkpoint, a small page cache)
        // end with it, after several files and after one (the historical DAG's way).
        func writerSettings() async throws -> [Int?] {
            try await warehouse.database.writer.write { db in
                [try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA cache_size")]
            }
        }
        #expect(try await writerSettings() == [1000, -65_536])
        _ = warehouse.importArchives(Array(Self.fixtureSources().prefix(1)), skipLoaded: false)
        #expect(try await writerSettings() == [1000, -65_536])
        #expect(try warehouse.stats().map(\.rows).reduce(0, +) == results.map(\.rows).reduce(0, +))
    }

    /// The writer of an import is never idle, so SQLite never starts the WAL over by itself
    /// and the WAL grows with every file (9.1 MB after these 84 files without the limit, here).
    /// Past the limit, the import waits for its checkpoint between two files: the WAL stays at
    /// the size of its largest transaction, the first file's.
    @Test func aLongImportStartsTheWALOverPastItsLimit() throws {
        func walAfterImport(_ sources: [KlineArchiveSource]) throws -> Int {
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-wal-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: home) }
            let warehouse = try KlineWarehouse(home: home)
            let results = warehouse.importArchives(sources, skipLoaded: false, chunkRows: 256, walLimit: 64 << 10, now: { Date() })
            #expect(try results.map { try $0.get() }.allSatisfy { $0.rows > 0 })
            // Read with the warehouse still open: closing checkpoints and removes the WAL.
            let wal = (home as NSString).appendingPathComponent("market.db-wal")
            return try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0
        }
        let first = try walAfterImport(Array(Self.fixtureSources().prefix(1)))
        let long = try walAfterImport(Array(repeating: Self.fixtureSources(), count: 12).flatMap { $0 })
        #expect(first > 0 && long <= first + first / 2, "WAL of \(long) bytes after 84 files, \(first) after the first alone")
    }

    @Test func badFilesChangeNothing() async throws {
        let warehouse = try KlineWarehouse()
        _ = warehouse.importArchives([.file(path: CodecFixtures.zips[0].path)])
        let before = try Self.tableDump(warehouse)
        let zipURL = CodecFixtures.zips[1]
        let zip = try CodecFixtures.bytes(zipURL)
        let checksum = try CodecFixtures.bytes(URL(fileURLWithPath: zipURL.path + ".CHECKSUM"))
        var csv = try ZipArchive.extract(ZipArchive.entries(of: zip, source: "z")[0], from: zip)
        // Corrupt row 1000's close price; rows before it parse fine.
        let lineStarts = [0] + csv.indices.filter { csv[$0] == 10 }.map { $0 + 1 }
        let closeField =
            lineStarts[999]
            + String(decoding: csv[lineStarts[999]...], as: UTF8.self)
            .split(separator: ",").prefix(4).map { $0.utf8.count + 1 }.reduce(0, +)
        csv[closeField] = UInt8(ascii: "x")
        let malformed = try ZipArchive.make(entries: [(name: "BTCUSDT-1m-2020-01-02.csv", bytes: csv)])
        var badSum = zip
        badSum[200] ^= 0xff
        // Chunks of 64 rows: rows 1–960 are inserted before row 1000 fails, then rolled back.
        let results = warehouse.importArchives(
            [
                .bytes(name: "BTCUSDT-1m-2020-01-02.zip", bytes: malformed, checksum: nil),
                .bytes(name: "BTCUSDT-1m-2020-01-02.zip", bytes: badSum, checksum: checksum),
                .bytes(name: "BTCUSDT-1m-2020-01-02.zip", bytes: Array(zip.prefix(zip.count - 30)), checksum: nil),
                .bytes(name: "BTCUSDT-1m-2020-01-02.zip", bytes: zip, checksum: Array(checksum.reversed())),
                .file(path: "/nonexistent/BTCUSDT-1m-2020-01-02.zip"),
                .bytes(name: "not-a-kline-name.zip", bytes: zip, checksum: nil),
            ], skipLoaded: true, chunkRows: 64, now: { Date() })
        let errors = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(errors.count == 6)
        #expect(errors.allSatisfy { $0.isBadInput })
        #expect(
            errors[0].description
                == "BTCUSDT-1m-2020-01-02.zip line 1000, column 5 (close): '\(String(decoding: csv[closeField..<(closeField + 13)], as: UTF8.self))' is not a decimal number"
        )
        #expect(errors[1].description.contains("sha256 mismatch"))
        #expect(errors[2].description.hasPrefix("BTCUSDT-1m-2020-01-02.zip: "))
        #expect(errors[4].description.contains("cannot read /nonexistent/"))
        #expect(try Self.tableDump(warehouse) == before)
        #expect(try warehouse.loadedArchive(named: "BTCUSDT-1m-2020-01-02.zip") == nil)
    }

    @Test func findsMissingMinutes() async throws {
        let warehouse = try KlineWarehouse()
        let zip = try CodecFixtures.bytes(CodecFixtures.zips[0])
        var klines = try KlineCSV.parse(ZipArchive.extract(ZipArchive.entries(of: zip, source: "z")[0], from: zip), source: "z")
        let start = klines[0].openTime, minute = Int64(60_000_000)
        klines.removeSubrange(100..<103)  // 3 missing minutes
        klines.remove(at: 500)  // 1 more: minute 503 of the day
        try warehouse.insert(klines, symbol: "BTCUSDT", interval: .oneMinute)
        let gaps = try warehouse.gaps(symbol: "BTCUSDT")
        #expect(
            gaps == [
                KlineGap(start: start + 100 * minute, end: start + 103 * minute, missing: 3),
                KlineGap(start: start + 503 * minute, end: start + 504 * minute, missing: 1),
            ])
        let wide = try warehouse.gaps(symbol: "BTCUSDT", from: start - 10 * minute, to: start + 1445 * minute)
        #expect(wide.first == KlineGap(start: start - 10 * minute, end: start, missing: 10))
        #expect(wide.last == KlineGap(start: start + 1440 * minute, end: start + 1445 * minute, missing: 5))
        #expect(try warehouse.gaps(symbol: "ETHUSDT").isEmpty)
        #expect(
            try warehouse.gaps(symbol: "ETHUSDT", from: start, to: start + 60 * minute)
                == [KlineGap(start: start, end: start + 60 * minute, missing: 60)])
    }

    @Test func findsMissingHoursAndImportsFromAsyncCode() async throws {
        let warehouse = try KlineWarehouse()
        let loads = await warehouse.importArchivesInBackground(CodecFixtures.zips.suffix(2).map { KlineArchiveSource.file(path: $0.path) })
        #expect(try loads.map { try $0.get().rows } == [24, 24])
        #expect(try warehouse.gaps(symbol: "BTCUSDT", interval: .oneHour).isEmpty)
        let may7 = UTCCalendar.microseconds(year: 2026, month: 5, day: 7)
        let may11 = UTCCalendar.microseconds(year: 2026, month: 5, day: 11)
        #expect(
            try warehouse.gaps(symbol: "BTCUSDT", interval: .oneHour, from: may7, to: may11) == [
                KlineGap(start: may7, end: may7 + 86_400_000_000, missing: 24),
                KlineGap(start: may11 - 86_400_000_000, end: may11, missing: 24),
            ])
    }

    @Test func symbolsUpsertHistoryAndLastUpdated() async throws {
        let warehouse = try KlineWarehouse()
        let day1 = Date(timeIntervalSince1970: 1_700_000_000), day2 = day1.addingTimeInterval(86_400)
        try warehouse.upsertSymbols(
            [
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: 1.3e12, binancePair: "BTCUSDT"),
                MarketSymbol(id: "tether", ticker: "usdt", name: "Tether", rank: 3, marketCap: 1e11, binancePair: nil, isStablecoin: true),
                MarketSymbol(id: "ethereum", ticker: "eth", name: "Ethereum", rank: 2, marketCap: 4e11, binancePair: "ETHUSDT"),
            ], observedAt: day1)
        try warehouse.setLastUpdated(day1, forSymbol: "bitcoin")
        try warehouse.upsertSymbols(
            [
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 2, marketCap: 1.2e12, binancePair: "BTCUSDT")
            ], observedAt: day2)
        let bitcoin = try #require(try warehouse.symbol(id: "bitcoin"))
        #expect(bitcoin.rank == 2)
        #expect(bitcoin.firstSeenAt == day1)
        #expect(bitcoin.lastUpdatedAt == day1)
        #expect(try warehouse.lastUpdated(forSymbol: "ethereum") == nil)
        #expect(try warehouse.symbol(binancePair: "ETHUSDT")?.id == "ethereum")
        #expect(try warehouse.symbols().map(\.id) == ["bitcoin", "ethereum", "tether"])
        #expect(try warehouse.rankHistory(forSymbol: "bitcoin").map(\.rank) == [1, 2])
        #expect(throws: UnknownSymbolError.self) { try warehouse.setLastUpdated(day1, forSymbol: "nope") }
    }

    @Test func fileDatabaseReopensWithItsRows() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warehouse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let warehouse = try KlineWarehouse(home: directory.path)
            _ = try warehouse.importArchives([.file(path: CodecFixtures.zips[3].path)]).map { try $0.get() }
        }
        let reopened = try KlineWarehouse(path: directory.appendingPathComponent("market.db").path)
        #expect(try await reopened.stats().map(\.rows) == [24])
        #expect(try await reopened.appliedMigrations() == (try KlineWarehouse().appliedMigrations()))
    }
}

@Suite("Warehouse: candles of several exchanges")
struct WarehouseExchangeTests {
    static func candle(_ openTime: Int64, close: Int64) -> Kline {
        let price = FixedDecimal(units: close)
        return Kline(
            openTime: openTime, open: price, high: price, low: price, close: price, volume: FixedDecimal(units: 100_000_000),
            closeTime: openTime + 59_999_999, quoteVolume: price, trades: 1, takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
    }

    @Test func theSameMinuteOnTwoExchangesIsKeptApart() throws {
        let warehouse = try KlineWarehouse()
        let minute: Int64 = 1_709_251_200_000_000
        try warehouse.insert([Self.candle(minute, close: 100)], symbol: "BTCUSDT", interval: .oneMinute)
        try warehouse.insert([Self.candle(minute, close: 200)], exchange: .kucoin, symbol: "BTCUSDT", interval: .oneMinute)
        // Idempotent: the same candle again replaces itself.
        try warehouse.insert([Self.candle(minute, close: 200)], exchange: .kucoin, symbol: "BTCUSDT", interval: .oneMinute)
        #expect(try warehouse.klines(symbol: "BTCUSDT").map(\.close.units) == [100])  // no exchange named: Binance
        #expect(try warehouse.klines(exchange: .kucoin, symbol: "BTCUSDT").map(\.close.units) == [200])
        #expect(try warehouse.klines(exchange: .kraken, symbol: "BTCUSDT").isEmpty)
        #expect(try warehouse.stats(exchange: .kucoin).map(\.rows) == [1])
        #expect(try warehouse.stats().map(\.rows) == [1])
    }

    @Test func forwardFillStaysOnItsExchange() throws {
        let warehouse = try KlineWarehouse()
        let minute: Int64 = 60_000_000, start: Int64 = 1_709_251_200_000_000
        try warehouse.insert(
            [Self.candle(start, close: 1), Self.candle(start + 3 * minute, close: 2)], exchange: .poloniex, symbol: "ETHUSDT",
            interval: .oneMinute)
        #expect(try warehouse.forwardFill(exchange: .poloniex, symbol: "ETHUSDT", from: start, to: start + 4 * minute) == 2)
        #expect(try warehouse.filledMinutes(symbol: "ETHUSDT", from: start, to: start + 4 * minute).isEmpty)
        #expect(
            try warehouse.filledMinutes(exchange: .poloniex, symbol: "ETHUSDT", from: start, to: start + 4 * minute)
                == [start + minute, start + 2 * minute])
    }
}
