import CIsal

/// Reads and writes real zip files (central directory and local headers; stored and
/// deflate members), inflated with the system's ISA-L and deflated with its zlib. Zip64 and
/// encrypted members are refused with an error. CRC-32 is always verified on extraction.
///
/// ```swift
/// let zip = try ZipArchive.make(entries: [(name: "a.csv", bytes: csv)])
/// let entry = try ZipArchive.entries(of: zip, source: "a.zip")[0]
/// let back = try ZipArchive.extract(entry, from: zip)   // == csv
/// ```
public enum ZipArchive {
    static let localHeaderSignature: UInt32 = 0x0403_4b50
    static let centralHeaderSignature: UInt32 = 0x0201_4b50
    static let endSignature: UInt32 = 0x0605_4b50
    /// The largest member ``extract(_:from:)`` inflates: 1 GiB (a month of Binance's 1s klines,
    /// the largest file it serves, is about 300 MB). A larger declared size is refused before
    /// anything is allocated.
    public static let maximumMemberSize = 1 << 30
    /// The most bytes deflate produces per compressed byte (zlib's documented limit, 1032:1): a
    /// member declaring more than this times its compressed size cannot be true.
    static let maximumDeflateRatio = 1032

    /// Lists the members of an archive from its central directory.
    public static func entries(of data: [UInt8], source: String) throws(ZipError) -> [ZipEntry] {
        func fail(_ reason: String) -> ZipError { ZipError(source: source, reason: reason) }
        guard data.count >= 22 else { throw fail("not a zip file (\(data.count) bytes, truncated?)") }
        // The end-of-central-directory record is in the last 22 + 65,535 bytes.
        var end = -1
        var position = data.count - 22
        let lowest = max(0, data.count - 22 - 65_535)
        while position >= lowest {
            if data.readUInt32(at: position) == endSignature { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw fail("no end of central directory record (truncated or not a zip file)") }
        let count = Int(data.readUInt16(at: end + 10))
        let directorySize = Int(data.readUInt32(at: end + 12))
        let directoryOffset = Int(data.readUInt32(at: end + 16))
        if count == 0xFFFF || directoryOffset == 0xFFFF_FFFF { throw fail("zip64 archives are not supported") }
        guard directoryOffset + directorySize <= end else {
            throw fail("central directory lies outside the file (truncated?)")
        }
        var entries: [ZipEntry] = []
        var p = directoryOffset
        for index in 0..<count {
            guard p + 46 <= end, data.readUInt32(at: p) == centralHeaderSignature else {
                throw fail("central directory entry \(index + 1) is corrupt")
            }
            let flags = data.readUInt16(at: p + 8)
            let method = data.readUInt16(at: p + 10)
            let crc = data.readUInt32(at: p + 16)
            let compressed = Int(data.readUInt32(at: p + 20))
            let uncompressed = Int(data.readUInt32(at: p + 24))
            let nameLength = Int(data.readUInt16(at: p + 28))
            let extraLength = Int(data.readUInt16(at: p + 30))
            let commentLength = Int(data.readUInt16(at: p + 32))
            let offset = Int(data.readUInt32(at: p + 42))
            guard p + 46 + nameLength <= end else { throw fail("central directory entry \(index + 1) is corrupt") }
            let name = String(decoding: data[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            if flags & 1 != 0 { throw ZipError(source: source, entry: name, reason: "encrypted members are not supported") }
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                throw ZipError(source: source, entry: name, reason: "zip64 members are not supported")
            }
            entries.append(
                ZipEntry(
                    name: name, source: source, method: method, crc32: crc,
                    compressedSize: compressed, uncompressedSize: uncompressed,
                    localHeaderOffset: offset))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The uncompressed bytes of a member, inflated (ISA-L) and checked against its CRC-32.
    public static func extract(_ entry: ZipEntry, from data: [UInt8]) throws(ZipError) -> [UInt8] {
        let start = try ZipMemberReader.locate(entry, in: data)
        var failure: ZipError?
        // Inflated straight into the array (the declared size and a spare byte), not copied.
        let bytes = [UInt8](unsafeUninitializedCapacity: entry.uncompressedSize + 1) { buffer, initialized in
            do throws(ZipError) {
                let reader = try ZipMemberReader(
                    entry, in: data, at: start, output: UnsafeMutableRawBufferPointer(buffer), owned: false)
                while try !reader.advance(by: .max) {}
                initialized = reader.count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// CRC-32 (zip's polynomial) of bytes, computed by ISA-L.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in crc32_gzip_refl(0, buffer.baseAddress, UInt64(buffer.count)) }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension [UInt8] {
    @inline(__always) func readUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }
    @inline(__always) func readUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value)); append(UInt8(truncatingIfNeeded: value >> 8))
    }
    mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(truncatingIfNeeded: value)); appendUInt16(UInt16(truncatingIfNeeded: value >> 16))
    }
}
