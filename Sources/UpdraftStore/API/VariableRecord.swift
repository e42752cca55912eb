/// A variable: a named string that tasks read with `ctx.variable(_:)` (Airflow's `variable` row).
///
/// The value is stored as given; outputs mask it when `SensitiveNames.isSensitive(key)`.
///
/// ```swift
/// try await store.saveVariable(VariableRecord(key: "warehouse_url", value: "s3://bucket/path"))
/// ```
public struct VariableRecord: Sendable, Hashable {
    /// Unique; the key of the record.
    public var key: String
    public var value: String
    public var description: String?

    public init(key: String, value: String, description: String? = nil) {
        self.key = key; self.value = value; self.description = description
    }
}
