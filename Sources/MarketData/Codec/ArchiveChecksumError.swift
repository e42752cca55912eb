/// An archive whose CHECKSUM does not match, or a malformed CHECKSUM file; names the archive.
public struct ArchiveChecksumError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The archive at fault.
    public var name: String
    /// What is wrong.
    public var reason: String
    public var description: String { "\(name): \(reason)" }
}
