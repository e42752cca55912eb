import Foundation
import MarketData

extension SandboxArchive {
    /// One row of a bucket listing: a key (`Contents`) or a folder (`CommonPrefixes`).
    struct ListingEntry: Hashable {
        var key: String
        var isFolder: Bool
        var size: Int = 0
        var lastModified: String = ""
        var etag: String = ""
    }

    /// The direct children of a folder key (`""`, `data/`, … `data/spot/daily/klines/BTCUSDT/1m/`).
    func children(of folder: String, now: Date) -> [ListingEntry] {
        var entries: [String: ListingEntry] = [:]
        for (key, path) in fixtures where key.hasPrefix(folder) {
            let rest = key.dropFirst(folder.count)
            if let slash = rest.firstIndex(of: "/") {
                let child = folder + rest[...slash]
                entries[child] = ListingEntry(key: child, isFolder: true)
            } else {
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
                let published = (try? KlineFileName(parsing: key)).map {
                    Date(timeIntervalSince1970: Double($0.period.end / 1_000_000) + 3 * 3600)
                }
                let modified = published ?? (attributes?[.modificationDate] as? Date) ?? now
                entries[key] = ListingEntry(
                    key: key, isFolder: false, size: size,
                    lastModified: Self.s3Date(modified), etag: Self.etag(key))
            }
        }
        for entry in syntheticChildren(of: folder, now: now) where entries[entry.key] == nil {
            entries[entry.key] = entry
        }
        return entries.values.sorted { $0.key < $1.key }
    }

    private func syntheticChildren(of folder: String, now: Date) -> [ListingEntry] {
        let parts = folder.split(separator: "/").map(String.init)
        let trading = market.coins.filter { $0.usdtPair == .trading && !periods(of: $0, daily: true, now: now).isEmpty }
        func folders(_ names: [String]) -> [ListingEntry] {
            names.map { ListingEntry(key: folder + $0 + "/", isFolder: true) }
        }
        switch parts.count {
        case 0: return folders(["data"])
        case 1 where parts[0] == "data": return folders(["spot"])
        case 2 where parts[1] == "spot": return folders(["daily", "monthly"])
        case 3 where ["daily", "monthly"].contains(parts[2]): return folders(["klines"])
        case 4 where parts[3] == "klines": return folders(trading.map(\.pairSymbol))
        case 5 where trading.contains(where: { $0.pairSymbol == parts[4] }):
            return folders(Self.intervals.map(\.rawValue))
        case 6:
            guard let coin = trading.first(where: { $0.pairSymbol == parts[4] }),
                let interval = KlineInterval(rawValue: parts[5]), Self.intervals.contains(interval),
                let micros = interval.microseconds
            else { return [] }
            let daily = parts[2] == "daily"
            var entries: [ListingEntry] = []
            for period in periods(of: coin, daily: daily, now: now) {
                let name = KlineFileName(symbol: coin.pairSymbol, interval: interval, period: period)
                let rows = Int((period.end - period.start) / micros)
                let published = Self.s3Date(
                    Date(
                        timeIntervalSince1970: Double(period.end / 1_000_000)
                            + (daily ? 3 * 3600 : 26 * 3600) + Double(SeededRandomLabel.hash(name.zipName) % 3600)))
                entries.append(
                    ListingEntry(
                        key: folder + name.zipName, isFolder: false,
                        size: cachedSize(name) ?? rows * 52 + 180,
                        lastModified: published, etag: Self.etag(name.zipName)))
                entries.append(
                    ListingEntry(
                        key: folder + name.checksumName, isFolder: false,
                        size: 66 + name.zipName.utf8.count, lastModified: published,
                        etag: Self.etag(name.checksumName)))
            }
            return entries
        default: return []
        }
    }

    /// S3 ListObjects (version 1) over the tree: `prefix`, `delimiter`, `marker` (exclusive),
    /// `max-keys` (at most 1,000). Returns the XML document.
    func listBucket(prefix: String, delimiter: String?, marker: String, maxKeys: Int, now: Date) -> String {
        let folder = prefix.lastIndex(of: "/").map { String(prefix[...$0]) } ?? ""
        var matches: [ListingEntry] = []
        if delimiter == "/" {
            matches = children(of: folder, now: now).filter { $0.key.hasPrefix(prefix) }
        } else {
            var pending = [folder]
            while let next = pending.popLast() {
                for entry in children(of: next, now: now) {
                    if entry.isFolder { pending.append(entry.key) } else if entry.key.hasPrefix(prefix) { matches.append(entry) }
                }
            }
            matches.sort { $0.key < $1.key }
        }
        let remaining = matches.filter { $0.key > marker }
        let page = remaining.prefix(maxKeys)
        let truncated = remaining.count > page.count
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data.binance.vision</Name>\
            <Prefix>\(xmlEscaped(prefix))</Prefix><Marker>\(xmlEscaped(marker))</Marker>
            """
        if truncated, delimiter != nil, let last = page.last { xml += "<NextMarker>\(xmlEscaped(last.key))</NextMarker>" }
        xml += "<MaxKeys>\(maxKeys)</MaxKeys>"
        if let delimiter { xml += "<Delimiter>\(xmlEscaped(delimiter))</Delimiter>" }
        xml += "<IsTruncated>\(truncated)</IsTruncated>"
        for entry in page where !entry.isFolder {
            xml += "<Contents><Key>\(xmlEscaped(entry.key))</Key><LastModified>\(entry.lastModified)</LastModified>"
            xml += "<ETag>\(xmlEscaped(entry.etag))</ETag><Size>\(entry.size)</Size><StorageClass>STANDARD</StorageClass></Contents>"
        }
        for entry in page where entry.isFolder {
            xml += "<CommonPrefixes><Prefix>\(xmlEscaped(entry.key))</Prefix></CommonPrefixes>"
        }
        return xml + "</ListBucketResult>"
    }

    private func cachedSize(_ name: KlineFileName) -> Int? {
        cachedZip(name.zipName)?.count
    }

    static func s3Date(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// A stable quoted ETag for a key (synthetic files are made on demand, so not their MD5).
    static func etag(_ key: String) -> String {
        let a = SeededRandomLabel.hash(key), b = SeededRandomLabel.hash(key + "#")
        return "\"" + String(format: "%016llx%016llx", a, b) + "\""
    }
}

/// Stable string hashing for deterministic listing metadata.
enum SeededRandomLabel {
    static func hash(_ text: String) -> UInt64 { SeededRandom.mix(SeededRandom.label(text)) }
}
