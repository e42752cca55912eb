/// The `run_id` and `expand` of a page's links: adding a group keeps the others; removing one
/// removes the groups inside it too.
struct ExpandQuery: Sendable, Hashable {
    var runId: String?
    var expanded: Set<String>

    func adding(_ group: String) -> ExpandQuery { ExpandQuery(runId: runId, expanded: expanded.union([group])) }

    func removing(_ group: String) -> ExpandQuery {
        ExpandQuery(runId: runId, expanded: expanded.filter { $0 != group && !$0.hasPrefix(group + ".") })
    }

    /// `?run_id=…&expand=a,b` (empty when there is nothing to say).
    var string: String {
        var parts: [String] = []
        if let runId { parts.append("run_id=" + PagePath.segment(runId)) }
        if !expanded.isEmpty { parts.append("expand=" + expanded.sorted().map(PagePath.segment).joined(separator: ",")) }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// `a`, `a.b` for `a.b.c`.
    static func ancestors(of id: String) -> [String] {
        var result: [String] = []
        var path = Substring(id)
        while let dot = path.lastIndex(of: ".") {
            path = path[..<dot]
            result.append(String(path))
        }
        return result
    }
}
