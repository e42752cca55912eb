import Foundation
import GRDB
import Testing

@testable import MarketData

/// `market.db` has one owner: one pool, one migrator with every migration of the file.
@Suite struct MarketDatabaseTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/market-ce45f84.db")

    /// A copy of `Fixtures/market-ce45f84.db` in a fresh folder: a file the three separate migrators
    /// of ce45f84 made (`updraft data import`, `models list`, `tasks test indicators …`, in that
    /// order, so `forecasting-v1` came before `indicators-v1`), cut down to 60 candles.
    static func oldFile() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-marketdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("market.db").path
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        return path
    }

    /// Worker processes open a fresh home's `market.db` at the same moment: each opener (here,
    /// threads with pools of their own) waits for the one migrating, then finds the file done.
    /// Before the open lock, two migrators could both apply one migration ("duplicate column").
    @Test func openersRacingOnANewFileAllOpenItMigratedOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-marketdb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for round in 0..<5 {
            let path = folder.appendingPathComponent("market-\(round).db").path
            let results = await withTaskGroup(of: Result<[String], any Error>.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        await withCheckedContinuation { continuation in
                            Thread {
                                continuation.resume(returning: Result { try MarketDatabase(path: path).appliedMigrations() })
                            }.start()
                        }
                    }
                }
                var all: [Result<[String], any Error>] = []
                for await result in group { all.append(result) }
                return all
            }
            let expected = MarketDatabase.migrator.migrations
            for result in results { #expect(try result.get() == expected) }
        }
    }

    @Test func aFileMadeByTheOldMigratorsOpensWithItsDataAndNothingReapplied() throws {
        let path = try Self.oldFile()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let database = try MarketDatabase(path: path)
        #expect(
            Set(try database.appliedMigrations())
                == [
                    "v1-klines", "v1-symbols", "v2-filled-klines", "indicators-v1", "forecasting-v1", "v3-exchange-column", "v4-universe",
                    "v5-partial-buckets", "v6-partitions", "v7-load-ledger", "alerts-v1", "trading-v1", "forecasting-v2-interval",
                    "indicators-v2-intervals",
                ])
        let warehouse = KlineWarehouse(database: database)
        #expect(try warehouse.candles(symbol: "BTCUSDT").count == 60)
        let tables = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["indicators_1m", "indicator_state", "forecasting_models", "predictions", "symbol"] {
            #expect(tables.contains(table), "\(table)")
        }
        // Its candles are Binance's now, under the key (exchange, symbol, open_time).
        let exchanges = try database.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT exchange FROM tickerdata_1m") }
        #expect(exchanges == ["binance"])
        let key = try database.writer.read { db in
            try Row.fetchAll(db, sql: "PRAGMA table_info(tickerdata_1m)").filter { ($0["pk"] as Int) > 0 }
                .sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
        }
        #expect(key == ["exchange", "symbol", "open_time"])
        #expect(try warehouse.candles(exchange: .kraken, symbol: "BTCUSDT").count == 0)
        // The migrator has nothing left to do on it.
        #expect(try database.writer.read { db in try MarketDatabase.migrator.hasCompletedMigrations(db) })
    }

    @Test func aFileWithOnlyTheWarehouseMigrationsGetsTheRest() throws {
        let path = try Self.oldFile()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    DROP TABLE indicators_1m; DROP TABLE indicator_state; DROP TABLE forecasting_live_metrics;
                    DROP TABLE predictions; DROP TABLE forecasting_best_models; DROP TABLE forecasting_models;
                    DELETE FROM grdb_migrations WHERE identifier IN ('indicators-v1', 'forecasting-v1');
                    """)
        }
        try queue.close()
        let database = try MarketDatabase(path: path)
        #expect(
            try database.appliedMigrations()
                == [
                    "v1-klines", "v1-symbols", "v2-filled-klines", "indicators-v1", "forecasting-v1", "v3-exchange-column", "v4-universe",
                    "v5-partial-buckets", "v6-partitions", "v7-load-ledger", "alerts-v1", "trading-v1", "forecasting-v2-interval",
                    "indicators-v2-intervals",
                ])
        #expect(try KlineWarehouse(database: database).candles(symbol: "BTCUSDT").count == 60)
    }

    @Test func aNewFileHasEveryMigrationInOrder() throws {
        #expect(
            try MarketDatabase().appliedMigrations()
                == [
                    "v1-klines", "v1-symbols", "v2-filled-klines", "indicators-v1", "forecasting-v1", "v3-exchange-column", "v4-universe",
                    "v5-partial-buckets", "v6-partitions", "v7-load-ledger", "alerts-v1", "trading-v1", "forecasting-v2-interval",
                    "indicators-v2-intervals",
                ])
    }
}
