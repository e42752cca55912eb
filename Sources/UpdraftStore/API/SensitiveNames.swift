import Foundation
import UpdraftCore

/// Which values outputs show as `***` (Airflow's `DEFAULT_SENSITIVE_FIELDS`): a variable whose key
/// names a secret, and every connection password. The store keeps values as given.
///
/// ```swift
/// let shown = SensitiveNames.isSensitive(variable.key) ? SensitiveNames.mask : variable.value
/// ```
public enum SensitiveNames {
    /// What a masked value shows as.
    public static let mask = "***"

    /// The words that make a key sensitive, matched anywhere in the key, ignoring case.
    public static let words = [
        "access_token", "api_key", "apikey", "authorization", "passphrase", "passwd", "password",
        "private_key", "secret", "token",
    ]

    /// Whether a value stored under `key` is a secret: the key contains one of `words` (ignoring case).
    public static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return words.contains { lowered.contains($0) }
    }

    /// `value`, or `mask` when `key` is sensitive.
    public static func masked(_ value: String, key: String) -> String {
        isSensitive(key) ? mask : value
    }
}

extension SensitiveNames {
    /// A connection's `extra` with the values of sensitive keys masked, at any depth, when it is a
    /// JSON object (keys sorted); any other text as given.
    ///
    /// ```swift
    /// SensitiveNames.maskedExtra(#"{"api_key":"k","region":"eu"}"#)   // {"api_key":"***","region":"eu"}
    /// ```
    public static func maskedExtra(_ extra: String) -> String {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(extra.utf8)),  // not JSON: shown as is
            case .object = value
        else { return extra }
        func mask(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let members):
                .object(
                    Dictionary(
                        uniqueKeysWithValues: members.map { key, member in
                            (key, isSensitive(key) ? .string(Self.mask) : mask(member))
                        }))
            case .array(let items): .array(items.map(mask))
            default: value
            }
        }
        guard let bytes = try? XComCoding.encode(mask(value)) else { return Self.mask }  // cannot fail for parsed JSON
        return String(decoding: bytes, as: UTF8.self)
    }
}
