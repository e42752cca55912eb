import CZlib

extension ZipArchive {
    /// Builds a zip archive with every member deflate-compressed, the way Binance's archive
    /// files are made (one CSV member). Timestamps are fixed (1980-01-01) so output is
    /// deterministic. `level` is zlib's (1 fastest … 9 smallest; −1 default, 6).
    public static func make(entries: [(name: String, bytes: [UInt8])], level: Int32 = -1) throws(ZipError) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for (name, bytes) in entries {
            let compressed = try deflate(bytes, level: level, name: name)
            guard out.count < 0xFFFF_FFFF, bytes.count < 0xFFFF_FFFF, name.utf8.count < 0xFFFF else {
                throw ZipError(source: "new archive", entry: name, reason: "too large for a zip without zip64")
            }
            let crc = checksum(bytes)
            let nameBytes = Array(name.utf8)
            let flags: UInt16 = nameBytes.allSatisfy { $0 < 128 } ? 0 : 0x0800  // bit 11: UTF-8 name
            let offset = UInt32(out.count)
            func common(_ target: inout [UInt8]) {
                target.appendUInt16(20)  // version needed: 2.0 (deflate)
                target.appendUInt16(flags)
                target.appendUInt16(8)  // method: deflate
                target.appendUInt16(0)  // time 00:00:00
                target.appendUInt16(0x21)  // date 1980-01-01
                target.appendUInt32(crc)
                target.appendUInt32(UInt32(compressed.count))
                target.appendUInt32(UInt32(bytes.count))
                target.appendUInt16(UInt16(nameBytes.count))
                target.appendUInt16(0)  // extra length
            }
            out.appendUInt32(localHeaderSignature)
            common(&out)
            out.append(contentsOf: nameBytes)
            out.append(contentsOf: compressed)
            directory.appendUInt32(centralHeaderSignature)
            directory.appendUInt16(0x0314)  // made by: Unix, 2.0
            common(&directory)
            directory.appendUInt16(0)  // comment length
            directory.appendUInt16(0)  // disk
            directory.appendUInt16(0)  // internal attributes
            directory.appendUInt32(0o100644 << 16)  // external: regular file, rw-r--r--
            directory.appendUInt32(offset)
            directory.append(contentsOf: nameBytes)
        }
        let directoryOffset = UInt32(out.count)
        out.append(contentsOf: directory)
        out.appendUInt32(endSignature)
        out.appendUInt16(0)
        out.appendUInt16(0)
        out.appendUInt16(UInt16(entries.count))
        out.appendUInt16(UInt16(entries.count))
        out.appendUInt32(UInt32(directory.count))
        out.appendUInt32(directoryOffset)
        out.appendUInt16(0)  // comment length
        return out
    }

    static func deflate(_ bytes: [UInt8], level: Int32, name: String) throws(ZipError) -> [UInt8] {
        var stream = z_stream()
        guard updraft_deflate_init_raw(&stream, level) == Z_OK else {
            throw ZipError(source: "new archive", entry: name, reason: "zlib deflateInit failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var status: Int32 = Z_OK
        var produced = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            bytes.withUnsafeBufferPointer { source in
                stream.next_in = source.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.avail_in = uInt(source.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(bound)
                status = CZlib.deflate(&stream, Z_FINISH)
                produced = bound - Int(stream.avail_out)
            }
            initialized = produced
        }
        guard status == Z_STREAM_END else {
            throw ZipError(source: "new archive", entry: name, reason: "zlib deflate failed (\(status))")
        }
        return output
    }
}
