import Foundation
import GRDB

extension KlineWarehouse {
    /// Imports Binance kline zips or CSVs, each in its own transaction: a bad file (unreadable,
    /// truncated zip, checksum mismatch, malformed row, row outside its period) changes
    /// nothing and is reported; the others load. A file whose name and sha256 the ledger
    /// already holds is skipped. Loading twice leaves the same rows (insert or replace by
    /// symbol and open time).
    ///
    /// Uses two threads: one reads, verifies, inflates and parses file i+1 while the calling
    /// thread inserts file i.
    public func importArchives(_ sources: [KlineArchiveSource], skipLoaded: Bool = true,
                               now: @escaping @Sendable () -> Date = { Date() }) -> [Result<ArchiveLoad, ArchiveImportError>] {
        guard sources.count > 1 else {
            return sources.map { store(decode($0, skipLoaded: skipLoaded), now: now) }
        }
        let queue = BlockingQueue<Result<DecodedArchive, ArchiveImportError>>(capacity: 2)
        let parser = Thread { [self] in
            for source in sources { queue.push(decode(source, skipLoaded: skipLoaded)) }
        }
        parser.name = "updraft-kline-parse"
        parser.start()
        return sources.map { _ in store(queue.pop(), now: now) }
    }

    /// Whether the ledger holds a file of this name, and with which sha256.
    public func loadedArchive(named name: String) throws -> (sha256: String, rows: Int, loadedAt: Date)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT sha256, rows, loaded_at FROM archive_file WHERE name = ?",
                             arguments: [name]).map { row in
                (row[0], row[1], Date(microsecondsSinceEpoch: row[2]))
            }
        }
    }

    /// A file read, verified and parsed, ready to insert (or already loaded).
    struct DecodedArchive: Sendable {
        var load: ArchiveLoad
        var period: KlinePeriod
        var klines: [Kline]
    }

    func decode(_ source: KlineArchiveSource, skipLoaded: Bool) -> Result<DecodedArchive, ArchiveImportError> {
        let name = source.fileName
        func fail(_ reason: ArchiveImportError.Reason) -> Result<DecodedArchive, ArchiveImportError> {
            .failure(ArchiveImportError(name: name, reason: reason))
        }
        let fileName: KlineFileName
        do { fileName = try KlineFileName(parsing: name) } catch { return fail(.badName(error)) }
        let bytes: [UInt8], checksum: [UInt8]?
        do { (bytes, checksum) = try source.load() } catch {
            return fail(error as? ArchiveImportError.Reason ?? .unreadable("cannot read \(source.name): \(error)"))
        }
        let sha256 = SHA256.hexDigest(bytes)
        var load = ArchiveLoad(name: name, symbol: fileName.symbol, interval: fileName.interval, rows: 0,
                               sha256: sha256, skipped: false, checksumVerified: false)
        if skipLoaded, let loaded = try? loadedArchive(named: name), loaded.sha256 == sha256 {
            load.skipped = true
            return .success(DecodedArchive(load: load, period: fileName.period, klines: []))
        }
        var csv = bytes
        if name.hasSuffix(".zip") {
            do {
                if let checksum {
                    try ArchiveChecksum.verify(zip: bytes, checksumFile: checksum, name: name)
                    load.checksumVerified = true
                }
            } catch { return fail(.badChecksum(error)) }
            do {
                let entries = try ZipArchive.entries(of: bytes, source: name)
                guard let entry = entries.first(where: { $0.name == fileName.csvName })
                        ?? (entries.count == 1 ? entries.first : nil)
                else { return fail(.badZip(ZipError(source: name, reason: "has no member \(fileName.csvName)"))) }
                csv = try ZipArchive.extract(entry, from: bytes)
            } catch { return fail(.badZip(error)) }
        }
        do {
            let klines = try KlineCSV.parse(csv, source: name, period: fileName.period)
            load.rows = klines.count
            return .success(DecodedArchive(load: load, period: fileName.period, klines: klines))
        } catch { return fail(.badRow(error)) }
    }

    func store(_ decoded: Result<DecodedArchive, ArchiveImportError>,
               now: @Sendable () -> Date) -> Result<ArchiveLoad, ArchiveImportError> {
        switch decoded {
        case .failure(let error): return .failure(error)
        case .success(let archive) where archive.load.skipped: return .success(archive.load)
        case .success(let archive):
            let load = archive.load
            do {
                try writer.write { db in
                    _ = try Self.insert(archive.klines, symbol: load.symbol, interval: load.interval, in: db)
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO archive_file (name, symbol, interval, period, sha256, rows, loaded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [load.name, load.symbol, load.interval.rawValue, archive.period.description,
                                         load.sha256, load.rows, now().microsecondsSinceEpoch])
                }
                return .success(load)
            } catch {
                return .failure(ArchiveImportError(name: load.name, reason: .database("database error: \(error)")))
            }
        }
    }
}
