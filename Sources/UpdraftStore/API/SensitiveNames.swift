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
