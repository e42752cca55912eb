import Foundation
import GRDB
import GRDBSQLite
import MarketData

/// Archive zips → committed rows: a year of realistic synthetic 1m klines in 12 monthly zips
/// (made with `ZipArchive.make` and `KlineCSV.format`, with CHECKSUM files), imported into a
/// fresh `market.db` by `KlineWarehouse.importArchives` (checksum, inflate and parse on one
/// thread, inserts on the other). Target: ≥ 500,000 rows/s. Two markets: BTCUSDT-like (every
/// value fits `Int64` units) and a micro-priced SHIBUSDT-like coin whose whole-token volumes
/// often pass them (those take the 128-bit parse path and are stored as BLOBs).
enum IngestBenchmark {
    static func run() async throws {
        try await measure(
            label: "ingest", symbol: "BTCUSDT",
            generator: SyntheticMinuteBars(seed: 2023, startPrice: 16_500))
        try await measure(
            label: "ingest micro-priced", symbol: "SHIBUSDT",
            generator: SyntheticMinuteBars(
                seed: 2024, startPrice: 0.000_008_5, priceTick: 0.000_000_01,
                volumeScale: 5e10, volumeTick: 1, tradesPerUnit: 2e-8))
    }

    static func measure(label: String, symbol: String, generator: SyntheticMinuteBars) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-ingest-\(getpid())-\(symbol)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var generator = generator
        var paths: [String] = []
        var rows = 0, zipBytes = 0, csvBytes = 0, wideRows = 0
        for month in 1...12 {
            let period = KlinePeriod.month(year: 2023, month: month)
            let klines = generator.bars(from: period.start, to: period.end)
            let name = KlineFileName(symbol: symbol, interval: .oneMinute, period: period)
            let csv = KlineCSV.format(klines)
            let zip = try ZipArchive.make(entries: [(name: name.csvName, bytes: csv)])
            let path = directory.appendingPathComponent(name.zipName).path
            try Data(zip).write(to: URL(fileURLWithPath: path))
            let checksum = ArchiveChecksum.sha256Hex(zip) + "  " + name.zipName
            try Data(checksum.utf8).write(to: URL(fileURLWithPath: path + ".CHECKSUM"))
            paths.append(path)
            rows += klines.count
            zipBytes += zip.count
            csvBytes += csv.count
            wideRows += klines.filter { !$0.volume.isInt64 }.count
        }
        print(
            String(
                format:
                    "%@: %d rows of %@ 1m klines in 12 monthly zips (%.1f MB zipped, %.1f MB CSV, %.1f%% with a volume past Int64 units) in %@",
                label, rows, symbol, Double(zipBytes) / 1e6, Double(csvBytes) / 1e6,
                100 * Double(wideRows) / Double(rows), directory.path))
        if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            print(
                "\(label): load average before the runs: " + load.split(separator: " ").prefix(3).joined(separator: " ")
                    + " on \(ProcessInfo.processInfo.activeProcessorCount) cores (CPU seconds below show the work itself)")
        }

        var seconds: [Double] = [], cpu: [Double] = [], insertCPU: [Double] = []
        for attempt in 1...3 {
            let home = directory.appendingPathComponent("home\(attempt)").path
            let warehouse = try KlineWarehouse(home: home)
            let sources = paths.map { KlineArchiveSource.file(path: $0) }
            let clock = ContinuousClock()
            let cpuStart = processCPUSeconds()
            let start = clock.now
            // The insert side runs on a thread of ours so its CPU time can be read apart.
            let (results, inserting) = await withCheckedContinuation { continuation in
                Thread {
                    let threadStart = threadCPUSeconds()
                    let results = warehouse.importArchives(sources)
                    continuation.resume(returning: (results, threadCPUSeconds() - threadStart))
                }.start()
            }
            let elapsed = (clock.now - start) / .seconds(1)
            cpu.append(processCPUSeconds() - cpuStart)
            insertCPU.append(inserting)
            let loaded = try results.map { try $0.get() }
            precondition(loaded.allSatisfy(\.checksumVerified) && loaded.map(\.rows).reduce(0, +) == rows)
            let stored = try warehouse.stats().first { $0.symbol == symbol }?.rows
            precondition(stored == rows)
            seconds.append(elapsed)
        }
        let fmt = { (values: [Double]) in values.map { String(format: "%.3f", $0) }.joined(separator: ", ") }
        if let keep = ProcessInfo.processInfo.environment["UPDRAFT_BENCH_KEEP_ZIPS"] {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            for path in paths {
                for file in [path, path + ".CHECKSUM"] {
                    let target = (keep as NSString).appendingPathComponent((file as NSString).lastPathComponent)
                    try? FileManager.default.removeItem(atPath: target)
                    try FileManager.default.copyItem(atPath: file, toPath: target)
                }
            }
        }
        let best = seconds.min()!
        print(
            String(
                format: "%@: zips → committed rows (2 threads): best %.3f s wall = %.0f rows/s; runs %@ s wall, %@ s CPU",
                label, best, Double(rows) / best, fmt(seconds), fmt(cpu)))
        // With a core per thread the wall time is the busier thread's CPU time.
        let criticalPath = zip(cpu, insertCPU).map { total, insert in max(insert, total - insert) }.min()!
        print(
            String(
                format: "%@: CPU per thread: insert %@ s, parse %@ s; critical path %.3f s = %.0f rows/s with a core per thread",
                label, fmt(insertCPU), fmt(zip(cpu, insertCPU).map { $0 - $1 }), criticalPath, Double(rows) / criticalPath))

        // Where the work goes, one stage at a time on this thread, in thread CPU seconds
        // (unaffected by other processes competing for the cores).
        var stage: [String: Double] = [:]
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = threadCPUSeconds()
            defer { stage[name, default: 0] += threadCPUSeconds() - start }
            return try body()
        }
        var decoded: [[Kline]] = []
        for path in paths {
            let zip = timed("read") { [UInt8](FileManager.default.contents(atPath: path)!) }
            _ = timed("sha256") { ArchiveChecksum.sha256Hex(zip) }
            let csv = try timed("inflate+crc") { try ZipArchive.extract(ZipArchive.entries(of: zip, source: path)[0], from: zip) }
            decoded.append(try timed("parse") { try KlineCSV.parse(csv, source: path) })
        }
        let warehouse = try KlineWarehouse(home: directory.appendingPathComponent("split").path)
        for klines in decoded {
            try timed("upsert+commit") { _ = try warehouse.insert(klines, symbol: symbol, interval: .oneMinute) }
        }
        let line = ["read", "sha256", "inflate+crc", "parse", "upsert+commit"].map { name in
            String(format: "%@ %.3f s", name, stage[name] ?? 0)
        }
        print("\(label): CPU seconds per stage: " + line.joined(separator: ", "))
        // The same 12 zips through the command a user runs (process start, ledger, close and
        // all), each run paired with a run of the raw-insert ceiling, so that the ratio of each
        // pair is taken in one window of this machine's speed. Both find `market.db` made, empty
        // (`data stats` makes it first, as the ceiling's warehouse does for it).
        let ceilingApplies = decoded.allSatisfy({ $0.allSatisfy(fitsInt64) })
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("updraft").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { return }
        let cli = BenchCLI(binary: binary)
        var runs: [Double] = [], loops: [Double] = [], loopsCPU: [Double] = [], openToClose: [Double] = []
        for attempt in 1...5 {
            let home = directory.appendingPathComponent("cli\(attempt)").path
            _ = try cli.output(["data", "stats"], home: home)
            runs.append(try cli.time(["data", "import"] + paths, home: home))
            if ceilingApplies {
                let ceiling = try rawInsertCeiling(decoded, symbol: symbol, home: directory.appendingPathComponent("raw\(attempt)").path)
                loops.append(ceiling.loop)
                loopsCPU.append(ceiling.cpu)
                openToClose.append(ceiling.openToClose)
            }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print(
            String(
                format: "%@: `updraft data import` of the 12 zips into an empty home: median %.3f s = %.0f rows/s (runs %@ s)",
                label, median(runs), Double(rows) / median(runs), fmt(runs)))
        if ceilingApplies {
            print(
                String(
                    format:
                        "%@: raw-insert ceiling (SQLite C API, plain INSERT OR ROLLBACK of the parsed rows, %d a statement, one transaction per file, same table and pragmas): the insert loop median %.3f s wall = %.0f rows/s (runs %@ s; CPU %@ s); from open to close %@ s",
                    label, KlineWarehouse.rowsPerStatement, median(loops), Double(rows) / median(loops), fmt(loops), fmt(loopsCPU),
                    fmt(openToClose)))
            let ratios = zip(runs, loops).map { $0 / $1 }
            let closedRatios = zip(runs, openToClose).map { $0 / $1 }
            print(
                String(
                    format:
                        "%@: `updraft data import` against the ceiling, run by run: median %.3f× the insert loop (%@); %.3f× the ceiling from open to close (%@)",
                    label, median(ratios), fmt(ratios), median(closedRatios), fmt(closedRatios)))
        }
    }

    static func fitsInt64(_ k: Kline) -> Bool {
        [k.open, k.high, k.low, k.close, k.volume, k.quoteVolume, k.takerBuyBaseVolume, k.takerBuyQuoteVolume]
            .allSatisfy(\.isInt64)
    }

    /// The fastest the insert thread could go: the parsed rows bound column by column with the
    /// SQLite C API into a fresh `tickerdata_1m` (the warehouse's own schema and pragmas, with the
    /// import's page cache and no checkpoint in the loop, as the import's insert thread), a plain
    /// `INSERT OR ROLLBACK` (no statement journal, as the import's) of `rowsPerStatement` rows a
    /// statement with no ledger and no upsert clause,
    /// committed once per file. The loop's wall and
    /// thread CPU seconds, and the wall seconds from opening the file to closing it (the close
    /// checkpoints the WAL and removes it, as the command's does).
    static func rawInsertCeiling(
        _ files: [[Kline]], symbol: String, home: String
    ) throws -> (
        loop: Double, cpu: Double, openToClose: Double
    ) {
        _ = try KlineWarehouse(home: home)  // the schema, WAL and page size, as an import finds them
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = \(-KlineWarehouse.importCacheKiB)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        let clock = ContinuousClock()
        let opening = clock.now
        let queue = try DatabaseQueue(path: home + "/market.db", configuration: configuration)
        // The insert's own statement shape: rows in statements of `rowsPerStatement`, one-row
        // statements for the rest of a file (one row a statement takes 40% longer).
        func sql(rows: Int) -> String {
            let values = (0..<rows).map { row in
                "(?1, " + (0..<11).map { "?\(2 + 11 * row + $0)" }.joined(separator: ", ") + ", 'binance', 1)"
            }
            return """
                INSERT OR ROLLBACK INTO tickerdata_1m (symbol, open_time, open, high, low, close, volume, close_time,
                    quote_volume, trades, taker_buy_base_volume, taker_buy_quote_volume, exchange, load_id)
                VALUES
                """ + " " + values.joined(separator: ", ")
        }
        // Each prepared once, before the clock starts (the import prepares each once, in its first file).
        let shapes = [KlineWarehouse.rowsPerStatement, 1].map { (rows: $0, sql: sql(rows: $0)) }
        try queue.inDatabase { db in for shape in shapes { _ = try db.cachedStatement(sql: shape.sql) } }
        let start = threadCPUSeconds()
        let loopStart = clock.now
        for klines in files {
            try queue.inTransaction { db in
                var next = 0
                for (rows, sql) in shapes {
                    let statement = try db.cachedStatement(sql: sql)
                    let handle = statement.sqliteStatement
                    defer { withExtendedLifetime(statement) {} }
                    sqlite3_bind_text(handle, 1, symbol, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                    while klines.count - next >= rows {
                        for row in 0..<rows {
                            let k = klines[next + row], first = Int32(2 + 11 * row)
                            sqlite3_bind_int64(handle, first, k.openTime)
                            sqlite3_bind_int64(handle, first + 1, k.open.int64Units!)
                            sqlite3_bind_int64(handle, first + 2, k.high.int64Units!)
                            sqlite3_bind_int64(handle, first + 3, k.low.int64Units!)
                            sqlite3_bind_int64(handle, first + 4, k.close.int64Units!)
                            sqlite3_bind_int64(handle, first + 5, k.volume.int64Units!)
                            sqlite3_bind_int64(handle, first + 6, k.closeTime)
                            sqlite3_bind_int64(handle, first + 7, k.quoteVolume.int64Units!)
                            sqlite3_bind_int64(handle, first + 8, k.trades)
                            sqlite3_bind_int64(handle, first + 9, k.takerBuyBaseVolume.int64Units!)
                            sqlite3_bind_int64(handle, first + 10, k.takerBuyQuoteVolume.int64Units!)
                        }
                        guard sqlite3_step(handle) == SQLITE_DONE else { throw PostgresBenchmark.BenchError("raw insert failed") }
                        sqlite3_reset(handle)
                        next += rows
                    }
                }
                return .commit
            }
        }
        let cpu = threadCPUSeconds() - start
        let loop = (clock.now - loopStart) / .seconds(1)
        try queue.close()
        return (loop, cpu, (clock.now - opening) / .seconds(1))
    }
}

/// User + system CPU seconds of this process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds of the calling thread so far.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Deterministic realistic 1m bars: a random walk with volatility clustering (GARCH(1,1)-like),
/// an intraday volume cycle; by default BTC's 0.01 tick, 5-decimal base volumes of about 25 a
/// minute and 40 trades per unit of volume.
struct SyntheticMinuteBars {
    var state: UInt64
    var price: Double
    var variance = 0.0008 * 0.0008
    let priceTick: Double, volumeScale: Double, volumeTick: Double, tradesPerUnit: Double

    init(
        seed: UInt64, startPrice: Double, priceTick: Double = 0.01, volumeScale: Double = 25,
        volumeTick: Double = 0.00001, tradesPerUnit: Double = 40
    ) {
        state = seed
        price = startPrice
        self.priceTick = priceTick
        self.volumeScale = volumeScale
        self.volumeTick = volumeTick
        self.tradesPerUnit = tradesPerUnit
    }

    mutating func next() -> UInt64 {  // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func normal() -> Double {
        sqrt(-2 * log(max(uniform(), 1e-300))) * cos(2 * Double.pi * uniform())
    }

    mutating func bars(from start: Int64, to end: Int64) -> [Kline] {
        var out: [Kline] = []
        out.reserveCapacity(Int((end - start) / 60_000_000))
        func units(_ value: Double, tick: Double) -> FixedDecimal {
            FixedDecimal(units: Int128((value / tick).rounded()) * Int128((tick * 1e8).rounded()))
        }
        var openTime = start
        while openTime < end {
            let shock = normal()
            let ret = sqrt(variance) * shock
            variance = 0.000_000_02 + 0.08 * ret * ret + 0.9 * variance
            let open = price, close = price * exp(ret)
            let high = max(open, close) * (1 + abs(normal()) * sqrt(variance) * 0.5)
            let low = min(open, close) * (1 - abs(normal()) * sqrt(variance) * 0.5)
            let minuteOfDay = Double((openTime / 60_000_000) % 1440)
            let cycle = 1 + 0.6 * sin(2 * Double.pi * (minuteOfDay - 480) / 1440)
            let volume = volumeScale * cycle * exp(0.5 * normal()) * (1 + 200 * abs(ret))
            let takerShare = 0.35 + 0.3 * uniform()
            let average = (open + high + low + close) / 4
            out.append(
                Kline(
                    openTime: openTime, open: units(open, tick: priceTick), high: units(high, tick: priceTick),
                    low: units(low, tick: priceTick), close: units(close, tick: priceTick), volume: units(volume, tick: volumeTick),
                    closeTime: openTime + 59_999_000, quoteVolume: units(volume * average, tick: 0.00000001),
                    trades: Int64(volume * tradesPerUnit * (0.8 + 0.4 * uniform())),
                    takerBuyBaseVolume: units(volume * takerShare, tick: volumeTick),
                    takerBuyQuoteVolume: units(volume * takerShare * average, tick: 0.00000001)))
            price = close
            openTime += 60_000_000
        }
        return out
    }
}
