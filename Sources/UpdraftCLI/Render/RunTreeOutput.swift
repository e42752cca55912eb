import Foundation
import UpdraftCore

/// Writes the lines of a ``RunTreeView``: header, column titles, then one line per shown
/// task or group in fixed-width columns (mark, state, try, start, duration) and the tree.
struct RunTreeOutput {
    let tree: RunTree
    let options: RunTreeOptions
    private(set) var text = ""
    /// What the failing path leads to: `failed` tasks, or `upstream_failed` when none failed.
    private var primaryFailure: TaskState = .failed
    /// The mark and state columns of each state, painted once.
    private let stateCells: [TaskState: String]

    enum Mode {
        /// Every child is listed.
        case full
        /// Opened only for its failures: big groups list just the failing children.
        case failuresOnly
    }

    static let stateWidth = 15, tryWidth = 3, startWidth = 20, durationWidth = 8
    static let blankStart = String(repeating: " ", count: startWidth)

    init(tree: RunTree, options: RunTreeOptions) {
        self.tree = tree
        self.options = options
        let color = options.color
        stateCells = Dictionary(
            uniqueKeysWithValues: TaskState.allCases.map { state in
                let mark = state.isFailure ? color.paint("✗", .boldRed) + " " : "  "
                let padded = state.rawValue + String(repeating: " ", count: max(0, Self.stateWidth - state.rawValue.utf8.count))
                return (state, mark + color.paint(padded, .of(state)) + "  ")
            })
        text.reserveCapacity(tree.nodes.count * 96 + 512)
    }

    mutating func header(_ header: RunTreeHeader, focus: Int) {
        let color = options.color
        let counts = tree.nodes[focus].counts
        primaryFailure = counts[.failed] > 0 ? .failed : .upstreamFailed
        let type = header.runType.map { " (\($0.rawValue))" } ?? ""
        text +=
            "Run \(color.paint(header.runID, .bold)) of DAG \(header.dagID)\(type): "
            + color.paint(header.state.rawValue, .of(header.state)) + "\n"
        var facts: [String] = []
        if let logical = header.logicalDate { facts.append("logical date \(TimeText.iso8601(logical))") }
        if let interval = header.dataInterval {
            facts.append("data interval [\(TimeText.iso8601(interval.start)), \(TimeText.iso8601(interval.end)))")
        }
        if !facts.isEmpty { text += capitalized(facts.joined(separator: ", ")) + "\n" }
        switch (header.startDate, header.endDate) {
        case (let start?, let end?):
            text +=
                "Started \(TimeText.iso8601(start)), ended \(TimeText.iso8601(end))"
                + " (took \(TimeText.duration(end.timeIntervalSince(start))))\n"
        case (let start?, nil):
            let running = options.now.map { ", running for \(TimeText.duration($0.timeIntervalSince(start)))" } ?? ""
            text += "Started \(TimeText.iso8601(start))\(running)\n"
        default:
            text += "Not started\n"
        }
        let scope = focus == RunTree.root ? "" : "Group \(tree.nodes[focus].path): "
        text += scope + counts.summary(color) + "\n\n"
        let titles =
            "  " + pad("STATE", Self.stateWidth) + "  " + padLeft("TRY", Self.tryWidth) + "  "
            + pad("START", Self.startWidth) + "  " + padLeft("DURATION", Self.durationWidth) + "  TASK"
        text += color.paint(titles, .bold) + "\n"
    }

    mutating func children(of index: Int, level: Int, prefix: String, mode: Mode) {
        let all = tree.nodes[index].children
        var shown = all
        var hidden: [Int] = []
        if mode == .failuresOnly, all.count > RunTreeView.elisionThreshold {
            shown = all.filter(isOnFailurePath)
            hidden = all.filter { !isOnFailurePath($0) }
        }
        for (position, child) in shown.enumerated() {
            let isLast = position == shown.count - 1 && hidden.isEmpty
            let connector = level == 1 ? "" : (isLast ? "└─ " : "├─ ")
            let childPrefix = level == 1 ? "" : prefix + (isLast ? "   " : "│  ")
            guard tree.nodes[child].isGroup else {
                line(child, tree: prefix + connector, expanded: false)
                continue
            }
            let expandFully = level < options.depth
            let expandFailures = !expandFully && options.expandFailures && isOnFailurePath(child)
            line(child, tree: prefix + connector, expanded: expandFully || expandFailures)
            if expandFully {
                children(of: child, level: level + 1, prefix: childPrefix, mode: .full)
            } else if expandFailures {
                children(of: child, level: level + 1, prefix: childPrefix, mode: .failuresOnly)
            }
        }
        if !hidden.isEmpty {
            var counts = StateCounts()
            for node in hidden { counts.add(tree.nodes[node].counts) }
            let connector = level == 1 ? "" : "└─ "
            let blank =
                "  "
                + String(
                    repeating: " ",
                    count: Self.stateWidth + Self.tryWidth + Self.startWidth
                        + Self.durationWidth + 8)
            text +=
                blank + prefix + connector
                + options.color.paint("… \(hidden.count) more: ", .dim) + counts.summary(options.color) + "\n"
        }
    }

    private func isOnFailurePath(_ index: Int) -> Bool {
        let node = tree.nodes[index]
        return node.isGroup ? node.counts[primaryFailure] > 0 : tree.state(of: index) == primaryFailure
    }

    private mutating func line(_ index: Int, tree treePrefix: String, expanded: Bool) {
        let node = tree.nodes[index]
        let state = tree.state(of: index)
        let color = options.color
        let row = node.row.map { tree.rows[$0] }
        let tryText = !node.isGroup && (row?.tryNumber ?? 0) > 0 ? String(row!.tryNumber) : ""
        let start = node.start
        var duration = ""
        if let start, let end = node.end {
            duration = TimeText.duration(end.timeIntervalSince(start))
        } else if let start, let now = options.now, !state.isTerminal {
            duration = TimeText.duration(now.timeIntervalSince(start)) + "…"
        }
        text += stateCells[state]!
        text += padLeft(tryText, Self.tryWidth)
        text += "  "
        text += start.map(TimeText.iso8601) ?? Self.blankStart
        text += "  "
        text += padLeft(duration, Self.durationWidth)
        text += "  "
        text += treePrefix
        if node.isGroup {
            let name = color.paint(node.name + "/", expanded ? .bold : .normal)
            text += name + "  " + node.counts.summary(color) + "\n"
        } else {
            text += color.paint(node.name, state.isFailure ? .bold : .normal)
            if state == .failed, node.path != node.name { text += "  (\(node.path))" }
            text += "\n"
        }
    }

    private func pad(_ value: String, _ width: Int) -> String {
        let count = value.utf8.count
        return count >= width ? value : value + String(repeating: " ", count: width - count)
    }

    /// Right-aligns ASCII text (a duration may end in `…`, counted as one column).
    private func padLeft(_ value: String, _ width: Int) -> String {
        let count = value.unicodeScalars.count
        return count >= width ? value : String(repeating: " ", count: width - count) + value
    }

    private func capitalized(_ value: String) -> String {
        value.prefix(1).uppercased() + value.dropFirst()
    }
}
