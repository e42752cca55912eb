import Foundation
import MarketData
import UpdraftConfig
import UpdraftRuntime

/// The steps of the `historical` DAG for one symbol: list the archive files of its backfill
/// window, then load each one. Tasks call them with their context, whose resources
/// (`MarketStores`, `MarketClients`, the configuration) they use.
public enum ArchiveSteps {
    /// The archive files covering the backfill window, from `data.history_months` whole months
    /// back to the end of the run's data interval: monthly files for complete months, daily files
    /// for the other days (`KlineArchiveBackfill.files`, which reads the bucket listing). Files
    /// the ledger already holds are left out, so a re-run downloads nothing twice.
    public static func listFiles(symbol: String, ctx: TaskContext) async throws -> [String] {
        let warehouse = try ctx.resource(MarketStores.self).warehouse
        let now = ctx.dataInterval.end
        let windowStart = try HistoricalParams(ctx).windowStart(end: now)
        let only = try HistoricalParams(ctx).months.map(Set.init)
        let files = try await KlineArchiveBackfill(archive: ctx.resource(MarketClients.self).archive, warehouse: warehouse)
            .files(symbol: symbol, interval: .oneMinute, from: windowStart, to: now)
            .filter { only?.contains(PartitionState.month(ofMicroseconds: $0.period.start)) ?? true }
        let fresh = try files.filter { try warehouse.loadedArchive(named: $0.zipName) == nil }
        let daily = files.filter(\.isDaily).count
        ctx.log.info(
            "\(symbol): \(files.count - daily) monthly and \(daily) daily files in the window, "
                + "\(files.count - fresh.count) already loaded, \(fresh.count) to load")
        return fresh.map(\.zipName)
    }

    /// Downloads one file with its CHECKSUM, verifies it and loads it in one transaction.
    public static func loadFile(_ name: KlineFileName, ctx: TaskContext) async throws {
        let warehouse = try ctx.resource(MarketStores.self).warehouse
        if let loaded = try warehouse.loadedArchive(named: name.zipName) {
            // A try cut off after its commit: the ledger has the file, so it is not fetched again.
            ctx.log.info("\(name.zipName) is already loaded (\(loaded.rows) rows); nothing to download")
            return
        }
        ctx.log.info("downloading \(name.zipName)")
        let started = Date()
        let load: ArchiveLoad
        do {
            let download = try await ctx.resource(MarketClients.self).archive.download(name)
            load = try warehouse.importArchives([download.importSource])[0].get()
        } catch {
            // The month's partition is failed (with why) until a load completes it.
            try warehouse.recordPartitionFailure(
                symbol: name.symbol, month: PartitionState.month(ofMicroseconds: name.period.start),
                error: "\(name.zipName): \(error)", at: Date())
            throw error
        }
        let seconds = max(Date().timeIntervalSince(started), 1e-6)
        ctx.metrics.increment(MarketMetrics.rowsIngested, labels: ["table": name.interval.tableName], by: load.rows)
        ctx.log.info(
            "\(name.zipName): \(load.rows) rows, checksum \(load.checksumVerified ? "verified" : "absent"), "
                + "\(Int(Double(load.rows) / seconds)) rows/s")
    }
}
