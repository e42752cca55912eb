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

/// Airflow's `*_pattern` filters: nil or empty matches everything.
func likeMatches(_ pattern: String?, _ value: String) -> Bool {
    guard let pattern, !pattern.isEmpty else { return true }
    return LikePattern(pattern).matches(value)
}
