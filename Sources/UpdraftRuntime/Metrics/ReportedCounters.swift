import UpdraftCore
import UpdraftStore

/// The counters tries reported to this process, by name with their label names, so that a
/// report that would clash with another metric is refused instead of reaching the factory
/// (swift-prometheus stops the process on a name used with two types or two label sets).
///
/// A reported counter is accepted when its name is a Prometheus name ending in `_total`, is not
/// the engine's or the API's (`updraft_ti_`, `updraft_scheduler_`, `updraft_api_`, …), and keeps
/// the label names it was first reported with in this process.
final class ReportedCounters: Sendable {
    private let labelNames = Locked<[String: [String]]>([:])
    static let reservedPrefixes = ["updraft_ti_", "updraft_dagrun_", "updraft_scheduler_", "updraft_pool_", "updraft_api_"]

    /// Nil when `increment` may be recorded, else why not.
    func refusal(_ increment: CounterIncrement) -> String? {
        let name = increment.name
        guard name.hasSuffix("_total"), Self.isPrometheusName(name, allowColon: true) else {
            return "counter '\(name)' is not a Prometheus counter name ([a-zA-Z_:][a-zA-Z0-9_:]* ending in _total)"
        }
        if let prefix = Self.reservedPrefixes.first(where: name.hasPrefix) {
            return "counter '\(name)' uses the engine's prefix \(prefix)"
        }
        let keys = increment.labels.keys.sorted()
        if let bad = keys.first(where: { !Self.isPrometheusName($0, allowColon: false) || $0.hasPrefix("__") }) {
            return "counter '\(name)' has an invalid label name '\(bad)'"
        }
        return labelNames.withLock { known in
            if let first = known[name], first != keys {
                return "counter '\(name)' reported with labels \(keys), first reported with \(first)"
            }
            known[name] = keys
            return nil
        }
    }

    static func isPrometheusName(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.unicodeScalars.first, !(("0"..."9").contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
                || (allowColon && scalar == ":")
        }
    }
}
