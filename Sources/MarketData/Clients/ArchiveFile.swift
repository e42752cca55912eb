/// A kline file that exists in the archive, from the bucket listing.
public struct ArchiveFile: Sendable, Hashable {
    /// The parsed name (symbol, interval, month or day).
    public var name: KlineFileName
    /// The zip's key in the bucket (`data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01-15.zip`).
    public var key: String
    /// The zip's size in bytes, as listed.
    public var size: Int?
    /// `LastModified` of the zip (files can be replaced; compare to re-fetch).
    public var lastModified: String?
    /// The zip's ETag, unquoted.
    public var etag: String?
    /// Whether a `.CHECKSUM` was listed beside it.
    public var hasChecksum: Bool
}

/// A zip fetched from the archive and checked against its `.CHECKSUM`.
public struct ArchiveDownload: Sendable {
    /// The file's name.
    public var name: KlineFileName
    /// The zip's bytes.
    public var zip: [UInt8]
    /// The `.CHECKSUM` file's bytes (verified against `zip`).
    public var checksum: [UInt8]

    /// Unzips in memory and parses the CSV; a row outside the file's period, off its interval's
    /// grid, malformed or impossible (see ``KlineCSV``) is an error naming the file and line.
    public func klines() throws -> [Kline] {
        let entries = try ZipArchive.entries(of: zip, source: name.zipName)
        guard let entry = entries.first(where: { $0.name == name.csvName }) ?? entries.first else {
            throw ClientResponseError(source: name.zipName, reason: "the zip holds no file")
        }
        let csv = try ZipArchive.extract(entry, from: zip)
        return try KlineCSV.parse(
            csv, source: name.zipName + ":" + entry.name, period: name.period,
            interval: name.interval)
    }

    /// The download as a warehouse import source (the warehouse verifies and parses it again in its
    /// own transaction).
    public var importSource: KlineArchiveSource {
        .bytes(name: name.zipName, bytes: zip, checksum: checksum)
    }
}
