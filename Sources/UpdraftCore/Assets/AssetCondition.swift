/// When an asset-scheduled DAG runs: an asset, or any / all of nested conditions
/// (Airflow's `AssetAny` / `AssetAll`).
///
/// ```swift
/// DAG("training", assets: .all(indicators1m))                        // assets only
/// DAG("scoring", schedule: "*/15 * * * *", assets: .any(indicators1m, models)) // time or assets
/// ```
public indirect enum AssetCondition: Sendable, Hashable, CustomStringConvertible {
    case asset(Asset)
    case any([AssetCondition])
    case all([AssetCondition])

    /// Any of the assets.
    public static func any(_ assets: Asset...) -> AssetCondition { .any(assets.map(AssetCondition.asset)) }
    /// All of the assets.
    public static func all(_ assets: Asset...) -> AssetCondition { .all(assets.map(AssetCondition.asset)) }

    /// Whether events of the assets with these URIs satisfy the condition.
    public func isSatisfied(byEventsOf uris: Set<String>) -> Bool {
        switch self {
        case .asset(let asset): uris.contains(asset.uri)
        case .any(let parts): parts.contains { $0.isSatisfied(byEventsOf: uris) }
        case .all(let parts): parts.allSatisfy { $0.isSatisfied(byEventsOf: uris) }
        }
    }

    /// Every asset named, in order, without repeats.
    public var assets: [Asset] {
        var seen: Set<String> = []
        var result: [Asset] = []
        func walk(_ condition: AssetCondition) {
            switch condition {
            case .asset(let asset): if seen.insert(asset.uri).inserted { result.append(asset) }
            case .any(let parts), .all(let parts): parts.forEach(walk)
            }
        }
        walk(self)
        return result
    }

    /// `tickerdata_1m`, `(a | b)`, `(a & b)`.
    public var description: String {
        switch self {
        case .asset(let asset): asset.name
        case .any(let parts): "(" + parts.map(\.description).joined(separator: " | ") + ")"
        case .all(let parts): "(" + parts.map(\.description).joined(separator: " & ") + ")"
        }
    }
}
