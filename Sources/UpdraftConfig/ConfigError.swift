/// A configuration problem, naming the file, line and key at fault.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where: `updraft.yaml:12`, or `env UPDRAFT_UNIVERSE_COINS`, or the file alone.
    public let location: String
    /// The dotted key, when one is at fault.
    public let key: String?
    public let message: String

    public var description: String {
        if let key { return "\(location): '\(key)' \(message)" }
        return "\(location): \(message)"
    }
}
