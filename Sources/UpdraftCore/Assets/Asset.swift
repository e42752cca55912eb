/// Data a task updates and other DAGs can be scheduled on (Airflow 3's `Asset`).
///
/// The store gives each asset an integer id (Airflow's `AssetResponse.id`); in code an asset is
/// its name and URI.
///
/// ```swift
/// let ticks = Asset("tickerdata_1m", uri: "updraft://warehouse/tickerdata_1m")
/// d.task("load", options: TaskOptions(outlets: [ticks])) { ctx in … }
/// DAG("indicators", assets: .all(ticks)) { d in … }
/// ```
public struct Asset: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Unique name (defaults to the URI).
    public var name: String
    /// Unique URI, e.g. `updraft://warehouse/tickerdata_1m`.
    public var uri: String
    /// Airflow's asset group (`asset` unless told otherwise).
    public var group: String
    /// Free-form JSON attributes.
    public var extra: [String: JSONValue]

    public init(_ name: String, uri: String? = nil, group: String = "asset", extra: [String: JSONValue] = [:]) {
        self.name = name; self.uri = uri ?? name; self.group = group; self.extra = extra
    }

    public var description: String { uri }
}
