import Foundation
import GRDB

extension KlineWarehouse {
    /// Rows per chunk handed from the parse thread to the insert thread: a multiple of
    /// ``rowsPerStatement``, so that only a file's last chunk ends in one-row statements.
    static let importChunkRows = 4_096
    /// Bytes of CSV inflated between two parses of an archive member (about 2,400 rows).
    static let importInflateSlice = 256 << 10
    /// Past this size, the WAL is started over before the next file (see ``WALCheckpointer``).
    static let importWALLimit = 64 << 20
    /// The writer's page cache during an import, in KiB (SQLite's `cache_size`, negative), in
    /// place of its usual 64 MB. An import appends: it needs the b-tree's right edge and one
    /// file's dirty pages, about 5 MB for a month of 1m klines (a larger transaction spills its
    /// pages to the WAL before its commit). A cache that reuses its pages spares the insert
    /// thread the first touch of tens of MB: 5% of a year's import.
    public static let importCacheKiB = 8_192

    /// Imports Binance kline zips or CSVs, each in its own transaction: a bad file (unreadable,
    /// truncated zip, checksum mismatch, no rows, a malformed or impossible row, a row outside
    /// its period or off its interval's grid: see ``KlineCSV``) changes nothing and is
    /// reported; the others load. A row repeating the one before it exactly is stored once and
    /// counted in ``ArchiveLoad/duplicates``, not in its rows. A file whose name and sha256 the
    /// ledger already holds is skipped. Loading twice leaves the same rows (insert or replace
    /// by symbol and open time; a plain insert into a period with no candles yet).
    ///
    /// Uses two threads: one reads, verifies, inflates and parses (in chunks of 4,096 rows, a
    /// slice of the file at a time, so the first rows are stored while the rest inflates) while
    /// the calling thread inserts what is already parsed. Imports into one ``MarketDatabase``
    /// take turns.
    public func importArchives(
        _ sources: [KlineArchiveSource], skipLoaded: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> [Result<ArchiveLoad, ArchiveImportError>] {
        importArchives(sources, skipLoaded: skipLoaded, chunkRows: Self.importChunkRows, now: now)
    }

    /// ``importArchives(_:skipLoaded:now:)`` for async code: runs on two threads of its own,
    /// so a large import never blocks the cooperative pool. (A distinct name, so existing
    /// synchronous calls from async functions keep compiling.)
    public func importArchivesInBackground(
        _ sources: [KlineArchiveSource], skipLoaded: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }
    ) async -> [Result<ArchiveLoad, ArchiveImportError>] {
        await withCheckedContinuation { continuation in
            let inserter = Thread { [self] in
                continuation.resume(
                    returning: importArchives(
                        sources, skipLoaded: skipLoaded,
                        chunkRows: Self.importChunkRows, now: now))
            }
            inserter.name = "updraft-kline-insert"
            inserter.start()
        }
    }

    func importArchives(
        _ sources: [KlineArchiveSource], skipLoaded: Bool, chunkRows: Int,
        inflateSlice: Int = importInflateSlice, walLimit: Int = importWALLimit, now: @escaping @Sendable () -> Date
    ) -> [Result<ArchiveLoad, ArchiveImportError>] {
        guard !sources.isEmpty else { return [] }
        database.importTurn.lock()
        defer { database.importTurn.unlock() }
        let queue = BlockingQueue<ImportMessage>(capacity: 4)
        let parser = Thread { [self] in
            for source in sources {
                decode(source, skipLoaded: skipLoaded, chunkRows: chunkRows, inflateSlice: inflateSlice, send: queue.push)
            }
        }
        parser.name = "updraft-kline-parse"
        parser.start()
        // Checkpoints move off this thread for the import (see WALCheckpointer).
        let checkpointer = sources.count > 1 ? path.flatMap(WALCheckpointer.init(path:)) : nil
        let automatic = checkpointer == nil ? nil : setWriterPragma("wal_autocheckpoint", to: 0)
        let cache = setWriterPragma("cache_size", to: -Self.importCacheKiB)
        defer { if let cache { setWriterPragma("cache_size", to: cache) } }
        var results: [Result<ArchiveLoad, ArchiveImportError>] = []
        while results.count < sources.count {
            switch queue.pop() {
            case .skipped(let load): results.append(.success(load))
            case .failed(let error): results.append(.failure(error))
            case .begin(let load, let period):
                checkpointer?.waitIfWALExceeds(bytes: walLimit)
                results.append(store(load, period: period, from: queue, now: now))
                checkpointer?.request()
            case .rows, .end: preconditionFailure("kline import: rows without a file")
            }
        }
        if let checkpointer {
            checkpointer.finish()
            if let automatic { setWriterPragma("wal_autocheckpoint", to: automatic) }
        }
        return results
    }

    /// Sets an integer pragma of the writer connection for the import (`wal_autocheckpoint`,
    /// `cache_size`) and returns the value it had: nil when it could not be read or set, which
    /// changes only where or how fast the work is done, so it is not an import error.
    @discardableResult
    private func setWriterPragma(_ name: StaticString, to value: Int) -> Int? {
        try? writer.writeWithoutTransaction { db in
            let previous = try Int.fetchOne(db, sql: "PRAGMA \(name)")
            try db.execute(sql: "PRAGMA \(name) = \(value)")
            return previous
        }
    }

    /// Rows of every archive file the ledger holds.
    public func archiveRowsLoaded() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(rows), 0) FROM archive_file") ?? 0 }
    }

    /// Whether the ledger holds a file of this name, and with which sha256.
    public func loadedArchive(named name: String) throws -> (sha256: String, rows: Int, loadedAt: Date)? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT sha256, rows, loaded_at FROM archive_file WHERE name = ?",
                arguments: [name]
            ).map { row in
                (row[0], row[1], Date(microsecondsSinceEpoch: row[2]))
            }
        }
    }

    /// What the parse thread tells the insert thread, in order, per file: `skipped` or `failed`
    /// alone, or `begin`, `rows`…, then `end` or `failed`.
    enum ImportMessage: Sendable {
        case skipped(ArchiveLoad)
        case begin(ArchiveLoad, KlinePeriod)
        case rows([Kline])
        case end(rows: Int, duplicates: Int)
        case failed(ArchiveImportError)
    }

    /// Reads, verifies, unzips and parses one source, sending what it finds.
    func decode(
        _ source: KlineArchiveSource, skipLoaded: Bool, chunkRows: Int, inflateSlice: Int,
        send: (ImportMessage) -> Void
    ) {
        let name = source.fileName
        func fail(_ reason: ArchiveImportError.Reason) { send(.failed(ArchiveImportError(name: name, reason: reason))) }
        let fileName: KlineFileName
        do { fileName = try KlineFileName(parsing: name) } catch { return fail(.badName(error)) }
        let bytes: [UInt8], checksum: [UInt8]?
        do { (bytes, checksum) = try source.load() } catch {
            return fail(error as? ArchiveImportError.Reason ?? .unreadable("cannot read \(source.name): \(error)"))
        }
        let sha256 = ArchiveChecksum.sha256Hex(bytes)
        var load = ArchiveLoad(
            name: name, symbol: fileName.symbol, interval: fileName.interval, rows: 0,
            sha256: sha256, skipped: false, checksumVerified: false)
        if skipLoaded, let loaded = try? loadedArchive(named: name), loaded.sha256 == sha256 {
            load.skipped = true
            return send(.skipped(load))
        }
        var rows = 0
        func emit(_ chunk: [Kline]) {
            rows += chunk.count
            send(.rows(chunk))
        }
        func reader(expecting bytes: Int) -> KlineCSVReader {
            KlineCSVReader(
                source: name, period: fileName.period, interval: fileName.interval, chunkRows: chunkRows,
                expectedBytes: bytes)
        }
        let duplicates: Int
        if name.hasSuffix(".zip") {
            let member: ZipMemberReader
            do {
                if let checksum {
                    try ArchiveChecksum.verify(sha256: sha256, checksumFile: checksum, name: name)
                    load.checksumVerified = true
                }
            } catch { return fail(.badChecksum(error)) }
            do {
                let entries = try ZipArchive.entries(of: bytes, source: name)
                guard
                    let entry = entries.first(where: { $0.name == fileName.csvName })
                        ?? (entries.count == 1 ? entries.first : nil)
                else { return fail(.badZip(ZipError(source: name, reason: "has no member \(fileName.csvName)"))) }
                member = try ZipMemberReader(entry, in: bytes)
            } catch { return fail(.badZip(error)) }
            // Rows go out as the member inflates, a slice at a time; the store keeps them in the
            // file's transaction until `.end`. A bad row stops the parse, not the inflate: a
            // member that is also corrupt is reported as such, the cause of the bad row.
            send(.begin(load, fileName.period))
            var csv = reader(expecting: member.expectedCount)
            var rowError: KlineCSVError?
            while true {
                let complete: Bool
                do { complete = try member.advance(by: inflateSlice) } catch { return fail(.badZip(error)) }
                if rowError == nil {
                    member.withBytes { raw in
                        if case .failure(let error) = csv.parse(raw, final: complete, emit: emit) { rowError = error }
                    }
                }
                if complete { break }
            }
            if let rowError { return fail(.badRow(rowError)) }
            duplicates = csv.duplicates
        } else {
            send(.begin(load, fileName.period))
            var csv = reader(expecting: bytes.count)
            let result = bytes.withUnsafeBytes { raw in csv.parse(raw, final: true, emit: emit) }
            if case .failure(let error) = result { return fail(.badRow(error)) }
            duplicates = csv.duplicates
        }
        guard rows > 0 else { return fail(.noRows) }
        send(.end(rows: rows, duplicates: duplicates))
    }

    /// Inserts one file's rows as they arrive, in one transaction with its ledger row; rolls
    /// back when the parse thread reports a bad row or a corrupt member (found at its end).
    func store(
        _ begun: ArchiveLoad, period: KlinePeriod, from queue: BlockingQueue<ImportMessage>,
        now: @Sendable () -> Date
    ) -> Result<ArchiveLoad, ArchiveImportError> {
        var load = begun
        var finished = false
        do {
            try writer.write { db in
                var ledgerID: Int64?
                // A file's open times rise strictly and stay in its period (KlineCSVReader), so
                // into a period with no candles yet, a plain INSERT cannot meet a stored row.
                var replacing = true
                while true {
                    switch queue.pop() {
                    case .rows(let klines):
                        let id: Int64
                        if let ledgerID {
                            id = ledgerID
                            try Self.extendLoad(db, id: id, klines: klines)
                        } else {
                            replacing = try Self.hasCandles(period, symbol: load.symbol, interval: load.interval, in: db)
                            id = try Self.recordLoad(
                                db, exchange: .binance, symbol: load.symbol, interval: load.interval, source: "archive:" + load.name,
                                klines: klines, at: now())
                            ledgerID = id
                        }
                        _ = try Self.insert(
                            klines, symbol: load.symbol, interval: load.interval, load: id, replacing: replacing, in: db)
                    case .end(let rows, let duplicates):
                        finished = true
                        load.rows = rows
                        load.duplicates = duplicates
                        try db.execute(
                            sql: """
                                INSERT OR REPLACE INTO archive_file (name, symbol, interval, period, sha256, rows, loaded_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                load.name, load.symbol, load.interval.rawValue, period.description,
                                load.sha256, rows, now().microsecondsSinceEpoch,
                            ])
                        return
                    case .failed(let error):
                        finished = true
                        throw error
                    case .begin, .skipped:
                        preconditionFailure("kline import: a new file before the end of \(load.name)")
                    }
                }
            }
            return .success(load)
        } catch let error as ArchiveImportError {
            return .failure(error)
        } catch {
            // The database failed mid-file: drop the rest of this file's messages.
            while !finished {
                switch queue.pop() {
                case .end, .failed: finished = true
                default: break
                }
            }
            return .failure(ArchiveImportError(name: load.name, reason: .database("database error: \(error)")))
        }
    }
}
