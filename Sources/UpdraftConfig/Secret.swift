/// The value of a secret key (``ConfigKind/secret``). It prints as `****` in every
/// interpolation, description, dump and log line; code that must send it reads ``revealed``.
///
/// ```swift
/// let key = configuration[.coingeckoAPIKey]      // Secret
/// print("key: \(key)")                            // key: ****
/// request.headers["x-cg-demo-api-key"] = key.revealed
/// ```
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    ConfigValueConvertible
{
    /// The secret text itself. Never log it.
    public let revealed: String

    /// A secret holding `text`.
    public init(_ text: String) { revealed = text }

    /// Whether no value was given.
    public var isEmpty: Bool { revealed.isEmpty }

    public var description: String { isEmpty ? "" : SecretMask.mask }
    public var debugDescription: String { description }

    public init?(configValue: ConfigValue) {
        guard case .string(let text) = configValue else { return nil }
        revealed = text
    }
    public var configValue: ConfigValue { .string(revealed) }
}
