import Foundation
import UpdraftCore

/// The `runs show` drill-down: a run's tasks as a tree of groups with state, try number,
/// start and duration; groups collapsed to counts per state unless expanded, and the path
/// to failed tasks opened and marked `✗`.
///
/// ```swift
/// let view = RunTreeView(header: RunTreeHeader(run), rows: instances.map(RunTreeRow.init))
/// print(try view.render(RunTreeOptions(group: "historical", depth: 2,
///                                      color: ColorMode.forStandardOutput(), now: Date())), terminator: "")
/// ```
/// Output (plain):
/// ```
/// Run manual__2024-05-01T10:00:00+00:00 of DAG crypto (manual): failed
/// …
/// STATE            TRY  START                 DURATION  TASK
///   success          1  2024-05-01T10:00:01Z     0.20s  get_symbols
/// ✗ failed              2024-05-01T10:00:02Z     2m09s  historical/  6 tasks: 4 success, 1 failed, 1 upstream_failed
/// ```
public struct RunTreeView: Sendable {
    public let header: RunTreeHeader
    let tree: RunTree

    /// Groups with more children than this, opened only for their failures, list just the
    /// failing children and one summary line for the rest.
    static let elisionThreshold = 10

    /// Builds the tree once; render it as often as needed.
    public init(header: RunTreeHeader, rows: [RunTreeRow]) {
        self.header = header
        tree = RunTree(rows: rows)
    }

    /// The whole view as text ending in a newline; throws when `options.group` is not a group of the run.
    public func render(_ options: RunTreeOptions) throws(RunTreeError) -> String {
        var focus = RunTree.root
        if let group = options.group, !group.isEmpty {
            guard let index = tree.groupIndex[group] else { throw unknownGroup(group) }
            focus = index
        }
        var output = RunTreeOutput(tree: tree, options: options)
        output.header(header, focus: focus)
        output.children(of: focus, level: 1, prefix: "", mode: .full)
        return output.text
    }

    private func unknownGroup(_ group: String) -> RunTreeError {
        let isTask = tree.nodes.contains { !$0.isGroup && $0.path == group }
        if isTask {
            return RunTreeError(description: "'\(group)' is a task of run \(header.runID), not a group")
        }
        let known = tree.groupPaths
        let near = known.filter { $0.hasPrefix(group) || group.hasPrefix($0) }
        let candidates = near.isEmpty ? known : near
        let shown = candidates.prefix(8)
        let list =
            shown.isEmpty
            ? "it has no groups"
            : "its groups include " + shown.joined(separator: ", ") + (candidates.count > shown.count ? ", …" : "")
        return RunTreeError(description: "run \(header.runID) has no group '\(group)'; \(list)")
    }
}
