import Foundation
import MarketData

/// The sandbox's data.binance.vision: which files exist, their bytes (real fixtures as they are,
/// synthetic zips made on demand and cached), and their `.CHECKSUM`s.
final class SandboxArchive: Sendable {
    /// A file of the archive.
    enum File {
        /// A real file from the fixture root, served byte for byte.
        case fixture(path: String)
        /// A synthetic file for a coin and period.
        case synthetic(SandboxCoin, KlineFileName)
    }

    /// The intervals synthetic folders exist for.
    static let intervals: [KlineInterval] = [.oneMinute, .fiveMinutes, .fifteenMinutes, .oneHour, .fourHours, .oneDay]

    let market: SyntheticMarket
    /// Fixture files by archive key (`data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip`).
    let fixtures: [String: String]
    private let cache = Locked<(zips: [String: [UInt8]], order: [String])>(([:], []))
    /// Parsed fixture bars by `SYMBOL/interval`.
    let fixtureCache = Locked<[String: [SyntheticBar]]>([:])

    init(market: SyntheticMarket, fixtureRoot: String?) {
        self.market = market
        self.fixtures = Self.scanFixtures(root: fixtureRoot)
    }

    /// The file stored under `key` at `now`, if it exists.
    func file(key: String, now: Date) -> File? {
        if let path = fixtures[key] { return .fixture(path: path) }
        let base = key.hasSuffix(".CHECKSUM") ? String(key.dropLast(".CHECKSUM".count)) : key
        guard base.hasSuffix(".zip"), let name = try? KlineFileName(parsing: base),
            base == name.spotDirectory + name.zipName,
            let coin = market.coins.first(where: { $0.pairSymbol == name.symbol && $0.usdtPair == .trading }),
            Self.intervals.contains(name.interval),
            periods(of: coin, daily: name.isDaily, now: now).contains(name.period)
        else { return nil }
        return .synthetic(coin, name)
    }

    /// The zip's bytes; `malformedLine` corrupts that CSV row (1-based).
    func zipBytes(_ file: File, malformedLine: Int?) throws -> [UInt8] {
        switch file {
        case .fixture(let path):
            return try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        case .synthetic(let coin, let name):
            let cacheKey = name.zipName + (malformedLine.map { "#\($0)" } ?? "")
            if let cached = cache.withLock({ $0.zips[cacheKey] }) { return cached }
            var csv = KlineCSV.format(klines(coin, name), timeUnit: nil)
            if let malformedLine { csv = Self.corrupt(csv, line: malformedLine) }
            let zip = try ZipArchive.make(entries: [(name: name.csvName, bytes: csv)])
            cache.withLock { cache in
                cache.zips[cacheKey] = zip
                cache.order.append(cacheKey)
                if cache.order.count > 64 { cache.zips[cache.order.removeFirst()] = nil }
            }
            return zip
        }
    }

    /// The cached bytes of a synthetic zip, if it was made already.
    func cachedZip(_ zipName: String) -> [UInt8]? {
        cache.withLock { $0.zips[zipName] }
    }

    /// The `.CHECKSUM` text for zip bytes: `<sha256 hex>  <name>`, no trailing newline.
    static func checksumText(zip: [UInt8], name: String) -> [UInt8] {
        Array("\(ArchiveChecksum.sha256Hex(zip))  \(name)".utf8)
    }

    /// The klines of a synthetic file (times in µs).
    func klines(_ coin: SandboxCoin, _ name: KlineFileName) -> [Kline] {
        guard let micros = name.interval.microseconds else { return [] }
        let bars = market.bars(
            of: coin, intervalMilliseconds: micros / 1000, start: name.period.start / 1000,
            end: name.period.end / 1000 - 1, limit: .max)
        return bars.map { bar in
            Kline(
                openTime: bar.openTime * 1000, open: FixedDecimal(units: bar.open), high: FixedDecimal(units: bar.high),
                low: FixedDecimal(units: bar.low), close: FixedDecimal(units: bar.close),
                volume: FixedDecimal(units: bar.volume), closeTime: (bar.closeTime + 1) * 1000 - 1,
                quoteVolume: FixedDecimal(units: bar.quoteVolume), trades: bar.trades,
                takerBuyBaseVolume: FixedDecimal(units: bar.takerBuyBaseVolume),
                takerBuyQuoteVolume: FixedDecimal(units: bar.takerBuyQuoteVolume))
        }
    }

    /// Periods with a complete file at `now`: days from the coin's listing to yesterday, and months
    /// that ended by today and hold at least one listed day.
    func periods(of coin: SandboxCoin, daily: Bool, now: Date) -> [KlinePeriod] {
        let today = Int64((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let listing = Int64(market.listingDay(of: coin))
        guard listing < today else { return [] }
        if daily {
            return (listing..<today).map { day in
                let (y, m, d) = UTCCalendar.civil(fromDays: day)
                return .day(year: y, month: m, day: d)
            }
        }
        var result: [KlinePeriod] = []
        var (year, month, _) = UTCCalendar.civil(fromDays: listing)
        while true {
            let period = KlinePeriod.month(year: year, month: month)
            guard period.end / UTCCalendar.microsecondsPerDay <= today else { break }
            result.append(period)
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return result
    }

    /// Replaces the open price of row `line` with text that is not a number.
    static func corrupt(_ csv: [UInt8], line: Int) -> [UInt8] {
        var rows = csv.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        guard line >= 1, line <= rows.count, !rows[line - 1].isEmpty else { return csv }
        var fields = rows[line - 1].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(Array.init)
        if fields.count > 1 { fields[1] = Array("12.3x4".utf8) }
        rows[line - 1] = Array(fields.joined(separator: [UInt8(ascii: ",")]))
        return Array(rows.joined(separator: [UInt8(ascii: "\n")]))
    }

    private static func scanFixtures(root: String?) -> [String: String] {
        guard let root else { return [:] }
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: base + "/data") else { return [:] }
        var files: [String: String] = [:]
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".zip") || relative.hasSuffix(".zip.CHECKSUM") else { continue }
            files["data/" + relative] = base + "/data/" + relative
        }
        return files
    }
}
