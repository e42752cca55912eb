import Foundation
import UpdraftHTTP

/// The public Binance archive (data.binance.vision): what exists for a symbol, from the S3 bucket
/// listing, and its monthly and daily kline zips, each verified against its `.CHECKSUM`.
///
/// ```swift
/// let archive = BinanceArchiveClient()
/// let months = try await archive.files(symbol: "BTCUSDT", interval: .oneMinute, daily: false)
/// let download = try await archive.download(months[0].name)     // checksum verified
/// let klines = try download.klines()                            // unzipped and parsed in memory
/// ```
public struct BinanceArchiveClient: Sendable {
    /// Where the archive and its listing live.
    public struct Configuration: Sendable {
        /// File base: `https://data.binance.vision` (files under `/data/spot/…`).
        public var baseURL: String
        /// Bucket listing: `https://s3-ap-northeast-1.amazonaws.com/data.binance.vision`.
        public var listingURL: String
        /// Longest wait for one file.
        public var timeout: Duration

        /// A configuration with the real hosts by default.
        public init(
            baseURL: String = "https://data.binance.vision",
            listingURL: String = "https://s3-ap-northeast-1.amazonaws.com/data.binance.vision",
            timeout: Duration = .seconds(300)
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.listingURL = listingURL.hasSuffix("/") ? String(listingURL.dropLast()) : listingURL
            self.timeout = timeout
        }
    }

    /// The configuration in use.
    public let configuration: Configuration
    private let http: HTTPClient

    /// A client over `http` (a shared client by default).
    public init(configuration: Configuration = Configuration(), http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    /// Every object and folder under `prefix`, following `marker`/`NextMarker` across pages.
    public func list(prefix: String, delimiter: String? = "/", maxKeys: Int? = nil) async throws -> BucketListing {
        var all = BucketListing()
        var marker: String?
        repeat {
            var url = configuration.listingURL + "?prefix=" + CoinGeckoClient.encode(prefix)
            if let delimiter { url += "&delimiter=" + CoinGeckoClient.encode(delimiter) }
            if let marker { url += "&marker=" + CoinGeckoClient.encode(marker) }
            if let maxKeys { url += "&max-keys=\(maxKeys)" }
            let response = try await http.get(HTTPRequest(url: url))
            let page = try BucketListing(xml: response.body, source: url)
            all.objects += page.objects
            all.commonPrefixes += page.commonPrefixes
            guard let next = page.continuationMarker, next != marker else { break }
            marker = next
        } while true
        return all
    }

    /// The kline zips listed for a symbol and interval, oldest first (`daily` or monthly folder).
    public func files(symbol: String, interval: KlineInterval, daily: Bool, maxKeys: Int? = nil) async throws -> [ArchiveFile] {
        let prefix = "data/spot/\(daily ? "daily" : "monthly")/klines/\(symbol)/\(interval.rawValue)/"
        let listing = try await list(prefix: prefix, maxKeys: maxKeys)
        let checksums = Set(listing.objects.map(\.key).filter { $0.hasSuffix(".zip.CHECKSUM") })
        return listing.objects.compactMap { object -> ArchiveFile? in
            guard object.key.hasSuffix(".zip"), let name = try? KlineFileName(parsing: object.key) else { return nil }
            return ArchiveFile(
                name: name, key: object.key, size: object.size, lastModified: object.lastModified,
                etag: object.etag, hasChecksum: checksums.contains(object.key + ".CHECKSUM"))
        }.sorted { $0.name.period.start < $1.name.period.start }
    }

    /// The symbols with a folder under `data/spot/{daily|monthly}/klines/`.
    public func symbols(daily: Bool = false) async throws -> [String] {
        let prefix = "data/spot/\(daily ? "daily" : "monthly")/klines/"
        return try await list(prefix: prefix).commonPrefixes.map { String($0.dropFirst(prefix.count).dropLast()) }
    }

    /// The URL of a file (`.zip`, or its `.CHECKSUM` with `checksum`).
    public func url(of name: KlineFileName, checksum: Bool = false) -> String {
        configuration.baseURL + "/" + name.spotDirectory + (checksum ? name.checksumName : name.zipName)
    }

    /// Fetches a zip and its `.CHECKSUM` into memory and verifies them; throws
    /// `ArchiveChecksumError` (naming the file) on a mismatch and `HTTPError` (status 404) when the
    /// file does not exist.
    public func download(_ name: KlineFileName) async throws -> ArchiveDownload {
        let checksum = try await http.get(HTTPRequest(url: url(of: name, checksum: true), timeout: configuration.timeout)).body
        let zip = try await http.get(HTTPRequest(url: url(of: name), timeout: configuration.timeout)).body
        try Self.verify(zip: zip, checksum: checksum, name: name)
        return ArchiveDownload(name: name, zip: zip, checksum: checksum)
    }

    /// Like `download`, but `nil` when the archive has no such file (HTTP 404).
    public func downloadIfPresent(_ name: KlineFileName) async throws -> ArchiveDownload? {
        do {
            return try await download(name)
        } catch let error as HTTPError where error.status == 404 {
            return nil
        }
    }

    /// Streams a zip and its `.CHECKSUM` into `directory` (as `NAME.zip` and `NAME.zip.CHECKSUM`),
    /// verifies them, and returns the zip's path; a file that fails verification is removed.
    public func download(_ name: KlineFileName, into directory: String) async throws -> String {
        let zipPath = (directory as NSString).appendingPathComponent(name.zipName)
        let checksumPath = zipPath + ".CHECKSUM"
        _ = try await http.download(url(of: name, checksum: true), to: checksumPath, timeout: configuration.timeout)
        _ = try await http.download(url(of: name), to: zipPath, timeout: configuration.timeout)
        do {
            guard let zip = FileManager.default.contents(atPath: zipPath),
                let checksum = FileManager.default.contents(atPath: checksumPath)
            else {
                throw ClientResponseError(source: zipPath, reason: "downloaded file vanished")
            }
            try Self.verify(zip: [UInt8](zip), checksum: [UInt8](checksum), name: name)
        } catch {
            try? FileManager.default.removeItem(atPath: zipPath)
            try? FileManager.default.removeItem(atPath: checksumPath)
            throw error
        }
        return zipPath
    }

    /// Checks a zip against its `.CHECKSUM`; on a mismatch, says too whether the zip itself is
    /// unreadable (a truncated download is the usual cause).
    static func verify(zip: [UInt8], checksum: [UInt8], name: KlineFileName) throws(ArchiveChecksumError) {
        do {
            try ArchiveChecksum.verify(zip: zip, checksumFile: checksum, name: name.zipName)
        } catch {
            do {
                _ = try ZipArchive.entries(of: zip, source: name.zipName)
            } catch let zipError {
                throw ArchiveChecksumError(
                    name: error.name,
                    reason: error.reason
                        + "; the zip itself is unreadable (\(zipError.reason), \(zip.count) bytes)")
            }
            throw error
        }
    }
}
