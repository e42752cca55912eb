/// A response that arrived but could not be understood: names the URL (or file) and what was wrong.
public struct ClientResponseError: Error, Sendable, CustomStringConvertible {
    /// The URL (or archive file) whose content was at fault.
    public var source: String
    /// What was wrong with it.
    public var reason: String

    /// An error for `source`.
    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
