import Foundation

/// Something to import into the warehouse: a Binance kline zip (with its CHECKSUM when
/// known) or a bare CSV, named like Binance names them (the name gives symbol, interval and
/// period). Loading happens on the import's parse thread.
///
/// ```swift
/// warehouse.importArchives([.file(path: "BTCUSDT-1m-2024-01.zip"),
///                           .bytes(name: "BTCUSDT-1m-2024-02.zip", bytes: zip, checksum: sum)])
/// ```
public struct KlineArchiveSource: Sendable {
    /// The file name (a path is fine; only its last component is used).
    public var name: String
    /// Reads the file's bytes and its CHECKSUM file's bytes (nil when there is none).
    public var load: @Sendable () throws -> (bytes: [UInt8], checksum: [UInt8]?)

    /// A source named `name` whose bytes `load` reads when the import gets to it.
    public init(name: String, load: @escaping @Sendable () throws -> (bytes: [UInt8], checksum: [UInt8]?)) {
        self.name = name
        self.load = load
    }

    /// A file on disk; a zip's `<path>.CHECKSUM` beside it is verified when present.
    public static func file(path: String) -> KlineArchiveSource {
        KlineArchiveSource(name: path) {
            guard let bytes = readFile(path) else { throw ArchiveImportError.Reason.unreadable("cannot read \(path)") }
            return (bytes, path.hasSuffix(".zip") ? readFile(path + ".CHECKSUM") : nil)
        }
    }

    /// Bytes already in memory (e.g. just downloaded), with the CHECKSUM file if any.
    public static func bytes(name: String, bytes: [UInt8], checksum: [UInt8]?) -> KlineArchiveSource {
        KlineArchiveSource(name: name) { (bytes, checksum) }
    }

    /// The bare file name.
    public var fileName: String { (name as NSString).lastPathComponent }
}

/// A regular file's bytes read straight into an array (no `Data` in between to copy from), as
/// long as it was when opened; nil when it cannot be opened or read.
private func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var status = stat()
    // A regular file only: a directory, FIFO or /proc file reports no size to read.
    guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    let size = Int(status.st_size)
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        while initialized < size {
            let count = read(fd, buffer.baseAddress! + initialized, size - initialized)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { complete = count == 0 && initialized == size; break }
            initialized += count
        }
    }
    return complete && bytes.count == size ? bytes : nil
}
