import Foundation
import UpdraftCore

/// An asset as the store knows it (Airflow's `AssetResponse`).
public struct AssetRecord: Sendable, Hashable {
    public var id: Int64
    public var asset: Asset
    public var createdAt: Date
    public var updatedAt: Date
    /// DAGs scheduled on the asset.
    public var consumingDAGs: [String]
    /// `dag_id.task_id` of the tasks that declare the asset as an outlet.
    public var producingTasks: [TaskKeyName]
    /// The newest event, if any.
    public var lastEvent: AssetEvent?

    public init(
        id: Int64, asset: Asset, createdAt: Date, updatedAt: Date, consumingDAGs: [String] = [],
        producingTasks: [TaskKeyName] = [], lastEvent: AssetEvent? = nil
    ) {
        self.id = id; self.asset = asset; self.createdAt = createdAt; self.updatedAt = updatedAt
        self.consumingDAGs = consumingDAGs; self.producingTasks = producingTasks; self.lastEvent = lastEvent
    }
}

/// A task named by DAG id and task id (Airflow's `TaskOutletAssetReference`).
public struct TaskKeyName: Sendable, Hashable {
    public var dagId: String
    public var taskId: String
    public init(_ dagId: String, _ taskId: String) { self.dagId = dagId; self.taskId = taskId }
}

/// The assets that DAGs in code declare: outlets of their tasks and their asset schedules.
public struct AssetReferences: Sendable, Hashable {
    public var assets: [Asset] = []
    /// Asset URI → DAG ids scheduled on it.
    public var consumers: [String: [String]] = [:]
    /// Asset URI → tasks declaring it as an outlet.
    public var producers: [String: [TaskKeyName]] = [:]
    public init() {}
}

/// An asset event to record in a commit; the store queues it for every DAG scheduled on the asset.
public struct AssetEventDraft: Sendable, Hashable {
    public var asset: Asset
    public var sourceRun: RunKey
    public var sourceTaskId: String
    public var sourceMapIndex: Int
    public var timestamp: Date
    public var extra: [String: JSONValue]
    public init(
        asset: Asset, sourceRun: RunKey, sourceTaskId: String, sourceMapIndex: Int = -1, timestamp: Date,
        extra: [String: JSONValue] = [:]
    ) {
        self.asset = asset; self.sourceRun = sourceRun; self.sourceTaskId = sourceTaskId
        self.sourceMapIndex = sourceMapIndex; self.timestamp = timestamp; self.extra = extra
    }
}
