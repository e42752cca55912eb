/// A file that could not be imported; nothing of it was stored.
public struct ArchiveImportError: Error, Sendable, CustomStringConvertible {
    /// The file at fault.
    public var name: String
    /// Why it failed.
    public var reason: Reason

    /// Why a file failed.
    public enum Reason: Error, Sendable, CustomStringConvertible {
        /// The file could not be read.
        case unreadable(String)
        /// The name is not a Binance kline file name.
        case badName(KlineFileNameError)
        /// The zip is truncated or corrupt.
        case badZip(ZipError)
        /// The zip does not match its CHECKSUM file.
        case badChecksum(ArchiveChecksumError)
        /// A row is malformed, impossible (e.g. low above high, off the interval's grid) or
        /// outside the file's period.
        case badRow(KlineCSVError)
        /// The file holds no kline rows (it is not recorded as loaded).
        case noRows
        /// The database failed (not the input's fault).
        case database(String)

        public var description: String {
            switch self {
            case .unreadable(let text), .database(let text): text
            case .badName(let error): error.description
            case .badZip(let error): error.description
            case .badChecksum(let error): error.description
            case .badRow(let error): error.description
            case .noRows: "has no kline rows"
            }
        }
    }

    /// Whether the input is at fault (exit code 2) rather than the system (exit code 1).
    public var isBadInput: Bool { if case .database = reason { false } else { true } }

    public var description: String {
        let text = reason.description
        return text.hasPrefix(name) ? text : "\(name): \(text)"
    }
}
