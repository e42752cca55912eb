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
    /// Size of the stored (compressed) data in bytes.
    public var compressedSize: Int
    /// Size of the member once extracted.
    public var uncompressedSize: Int
    /// Offset of the member's local header in the archive.
    public var localHeaderOffset: Int
}
