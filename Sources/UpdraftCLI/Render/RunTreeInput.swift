import Foundation
import UpdraftCore

/// One task instance as the drill-down view needs it.
public struct RunTreeRow: Sendable, Hashable {
    /// Full dotted id, e.g. `historical.BTCUSDT.load_2024_01`.
    public var taskID: String
    /// The enclosing group's full id (`historical.BTCUSDT`), nil at the top level.
    public var group: String?
    public var state: TaskState
    /// 0 before the first try started.
    public var tryNumber: Int
    public var startDate: Date?
    public var endDate: Date?

    /// Creates a row.
    public init(
        taskID: String, group: String? = nil, state: TaskState, tryNumber: Int = 0,
        startDate: Date? = nil, endDate: Date? = nil
    ) {
        self.taskID = taskID
        self.group = group
        self.state = state
        self.tryNumber = tryNumber
        self.startDate = startDate
        self.endDate = endDate
    }

    /// The row of a stored task instance.
    public init(_ instance: TaskInstance) {
        self.init(
            taskID: instance.taskId, group: instance.group, state: instance.state,
            tryNumber: instance.tryNumber, startDate: instance.startDate, endDate: instance.endDate)
    }
}

/// The facts printed above the tree.
public struct RunTreeHeader: Sendable, Hashable {
    public var dagID: String
    public var runID: String
    public var state: RunState
    public var runType: RunType?
    public var logicalDate: Date?
    public var dataInterval: DataInterval?
    public var startDate: Date?
    public var endDate: Date?

    /// Creates a header.
    public init(
        dagID: String, runID: String, state: RunState, runType: RunType? = nil, logicalDate: Date? = nil,
        dataInterval: DataInterval? = nil, startDate: Date? = nil, endDate: Date? = nil
    ) {
        self.dagID = dagID
        self.runID = runID
        self.state = state
        self.runType = runType
        self.logicalDate = logicalDate
        self.dataInterval = dataInterval
        self.startDate = startDate
        self.endDate = endDate
    }

    /// The header of a stored run.
    public init(_ run: DAGRun) {
        self.init(
            dagID: run.dagId, runID: run.runId, state: run.state, runType: run.runType,
            logicalDate: run.logicalDate, dataInterval: run.dataInterval,
            startDate: run.startDate, endDate: run.endDate)
    }
}

/// What part of the tree to show and how.
public struct RunTreeOptions: Sendable, Hashable {
    /// `--group PATH`: show only this group (full dotted id).
    public var group: String?
    /// `--depth N`: group levels expanded below the shown root (1 = its direct children only,
    /// groups collapsed to counts per state).
    public var depth: Int
    /// Also expand, beyond `depth`, the groups that hold failed tasks (showing the failures).
    public var expandFailures: Bool
    public var color: ColorMode
    /// Durations of tasks still running are measured up to this instant (none when nil).
    public var now: Date?

    /// Creates options; the defaults show the top level and open the failing path.
    public init(
        group: String? = nil, depth: Int = 1, expandFailures: Bool = true,
        color: ColorMode = .plain, now: Date? = nil
    ) {
        self.group = group
        self.depth = max(1, depth)
        self.expandFailures = expandFailures
        self.color = color
        self.now = now
    }
}

/// A `--group` that the run does not have.
public struct RunTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, naming the run and the group.
    public var description: String

    /// Creates an error with this message.
    public init(description: String) { self.description = description }
}
