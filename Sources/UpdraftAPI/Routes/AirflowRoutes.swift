import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Every route of Airflow's REST API v2 that Updraft serves (docs/api/README.md lists those it
/// does not), plus `POST /auth/token`.
public enum AirflowRoutes {
    public static let prefix = "/api/v2"

    public static var all: [Endpoint] {
        AuthRoutes.endpoints + MonitorRoutes.endpoints + DAGRoutes.endpoints + DAGRunRoutes.endpoints
            + TaskInstanceRoutes.endpoints + PoolRoutes.endpoints + VariableRoutes.endpoints
            + ConnectionRoutes.endpoints + AssetRoutes.endpoints + BackfillRoutes.endpoints + EventLogRoutes.endpoints
    }
}

/// SQL `LIKE` as Airflow's `*_pattern` parameters apply it: case-insensitive, `%` any run of
/// characters, `_` one character, and a match anywhere in the value (`%pattern%`).
enum LikePattern {
    static func matches(_ pattern: String?, _ value: String) -> Bool {
        guard let pattern, !pattern.isEmpty else { return true }
        let p = Array(("%" + pattern + "%").lowercased())
        let v = Array(value.lowercased())
        // Iterative wildcard matching with backtracking on the last `%`.
        var pi = 0, vi = 0, star = -1, mark = 0
        while vi < v.count {
            if pi < p.count, p[pi] == "_" || (p[pi] != "%" && p[pi] == v[vi]) {
                pi += 1; vi += 1
            } else if pi < p.count, p[pi] == "%" {
                star = pi; mark = vi; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; vi = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "%" { pi += 1 }
        return pi == p.count
    }
}

/// `order_by` values: the first that names an allowed field, with `-` for descending.
struct SortOrder {
    var field: String
    var descending: Bool

    static func parse(_ values: [String], allowed: [String], default value: String) throws(APIError) -> SortOrder {
        let text = values.last(where: { !$0.isEmpty }) ?? value
        let descending = text.hasPrefix("-")
        let field = descending ? String(text.dropFirst()) : text
        guard allowed.contains(field) else {
            throw APIError.badRequest(
                "Ordering with '\(field)' is disallowed or the attribute does not exist on the model")
        }
        return SortOrder(field: field, descending: descending)
    }
}

extension Array {
    /// One page of the array.
    func page(_ page: (limit: Int, offset: Int)) -> ArraySlice<Element> {
        let start = Swift.min(page.offset, count)
        return self[start..<Swift.min(count, start + page.limit)]
    }
}
