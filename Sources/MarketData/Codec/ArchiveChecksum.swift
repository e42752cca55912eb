import Crypto

/// Binance `.CHECKSUM` files: `<64 lowercase hex sha256><two spaces><zip file name>`, with or
/// without a trailing `\n` or `\r\n` (Binance writes none; some mirrors add one).
///
/// ```swift
/// try ArchiveChecksum.verify(zip: zipBytes, checksumFile: checksumBytes,
///                            name: "BTCUSDT-1m-2020-01-01.zip")
/// ```
public enum ArchiveChecksum {
    /// Checks that the sha256 of `zip` is the one the checksum file gives for `name`
    /// (a bare file name; a path is reduced to its last component).
    public static func verify(zip: [UInt8], checksumFile: [UInt8], name: String) throws(ArchiveChecksumError) {
        try verify(sha256: sha256Hex(zip), checksumFile: checksumFile, name: name)
    }

    /// ``verify(zip:checksumFile:name:)`` for a file whose digest (lowercase hex) is already known.
    public static func verify(sha256 actual: String, checksumFile: [UInt8], name: String) throws(ArchiveChecksumError) {
        let fileName = name.split(separator: "/").last.map(String.init) ?? name
        let (expected, listed) = try parse(checksumFile, name: fileName)
        guard listed == fileName else {
            throw ArchiveChecksumError(name: fileName, reason: "the CHECKSUM file is for '\(listed)'")
        }
        guard actual == expected else {
            throw ArchiveChecksumError(name: fileName, reason: "sha256 mismatch: CHECKSUM says \(expected), file has \(actual)")
        }
    }

    /// Parses a checksum file into its digest (lowercased) and the file name it lists.
    public static func parse(_ checksumFile: [UInt8], name: String) throws(ArchiveChecksumError) -> (sha256: String, fileName: String) {
        var text = String(decoding: checksumFile, as: UTF8.self)
        if text.hasSuffix("\r\n") { text.removeLast(1) } else if text.hasSuffix("\n") { text.removeLast() }
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 64,
            parts[0].utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else {
            throw ArchiveChecksumError(name: name, reason: "malformed CHECKSUM file (expected '<sha256>  <file name>')")
        }
        var listed = parts[1]
        if listed.hasPrefix(" ") || listed.hasPrefix("*") { listed = listed.dropFirst() }  // sha256sum text/binary mark
        guard !listed.isEmpty, !listed.contains("\n") else {
            throw ArchiveChecksumError(name: name, reason: "malformed CHECKSUM file (expected '<sha256>  <file name>')")
        }
        return (parts[0].lowercased(), String(listed))
    }

    /// Lowercase hex sha256 of bytes (swift-crypto's SHA-256).
    public static func sha256Hex(_ bytes: [UInt8]) -> String { lowercaseHex(Crypto.SHA256.hash(data: bytes)) }

    /// `bytes` as lowercase hex, two digits each (digests, MACs).
    static func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
