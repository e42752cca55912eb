/// A zip archive that cannot be read or written; names the archive and, when known, the member.
public struct ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The archive at fault.
    public var source: String
    /// The member at fault, if one.
    public var entry: String?
    /// What is wrong.
    public var reason: String

    /// An error in archive `source` (and member `entry`, if one).
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
