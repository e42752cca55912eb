/// One member of a zip archive, as its central directory describes it.
public struct ZipEntry: Sendable, Hashable {
    /// The member's path inside the archive, e.g. `BTCUSDT-1m-2020-01-01.csv`.
    public var name: String
    /// The archive the entry came from (for error messages).
    public var source: String
    /// Compression method: 0 stored, 8 deflate.
    public var method: UInt16
    /// CRC-32 of the uncompressed bytes.
    public var crc32: UInt32
    public var compressedSize: Int
    public var uncompressedSize: Int
    /// Offset of the member's local header in the archive.
    public var localHeaderOffset: Int
}

/// A zip archive that cannot be read or written; names the archive and, when known, the member.
public struct ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The archive at fault.
    public var source: String
    /// The member at fault, if one.
    public var entry: String?
    /// What is wrong.
    public var reason: String

    public init(source: String, entry: String? = nil, reason: String) {
        self.source = source
        self.entry = entry
        self.reason = reason
    }

    public var description: String {
        if let entry { return "\(source): member \(entry): \(reason)" }
        return "\(source): \(reason)"
    }
}
