import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One page of an S3 ListObjects (version 1) response, as the data.binance.vision bucket sends it.
public struct BucketListing: Sendable, Hashable {
    /// One object (`Contents`).
    public struct Object: Sendable, Hashable {
        /// Full key (`data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01.zip`).
        public var key: String
        /// Bytes, when given.
        public var size: Int?
        /// `LastModified` text (ISO 8601).
        public var lastModified: String?
        /// The ETag with its quotes removed.
        public var etag: String?
    }

    /// Objects under the prefix (`Contents`), in key order.
    public var objects: [Object] = []
    /// Folders under the prefix (`CommonPrefixes`), with a delimiter.
    public var commonPrefixes: [String] = []
    /// Whether more keys follow (`IsTruncated`).
    public var isTruncated = false
    /// The marker for the next page, when the server gave one.
    public var nextMarker: String?

    /// The marker to continue after this page: `NextMarker`, else the last key or prefix returned.
    public var continuationMarker: String? {
        guard isTruncated else { return nil }
        return nextMarker ?? [objects.last?.key, commonPrefixes.last].compactMap { $0 }.max()
    }

    /// Parses the XML; unknown elements are ignored.
    public init(xml: [UInt8], source: String) throws {
        let parser = XMLParser(data: Data(xml))
        let reader = BucketListingReader()
        parser.delegate = reader
        guard parser.parse(), reader.sawRoot else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no ListBucketResult element"
            throw ClientResponseError(source: source, reason: "not an S3 bucket listing (\(reason), line \(parser.lineNumber))")
        }
        self = reader.listing
    }

    init() {}
}

/// SAX reader for `ListBucketResult`.
private final class BucketListingReader: NSObject, XMLParserDelegate {
    var listing = BucketListing()
    var sawRoot = false
    private var path: [String] = []
    private var text = ""
    private var object: BucketListing.Object?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        path.append(name)
        text = ""
        if name == "ListBucketResult" { sawRoot = true }
        if name == "Contents" { object = BucketListing.Object(key: "") }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        switch (parent, name) {
        case ("Contents", "Key"): object?.key = text
        case ("Contents", "Size"): object?.size = Int(text)
        case ("Contents", "LastModified"): object?.lastModified = text
        case ("Contents", "ETag"): object?.etag = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        case ("CommonPrefixes", "Prefix"): listing.commonPrefixes.append(text)
        case ("ListBucketResult", "IsTruncated"): listing.isTruncated = text.lowercased() == "true"
        case ("ListBucketResult", "NextMarker"): listing.nextMarker = text.isEmpty ? nil : text
        case (_, "Contents"):
            if let object, !object.key.isEmpty { listing.objects.append(object) }
            object = nil
        default: break
        }
        path.removeLast()
        text = ""
    }
}
