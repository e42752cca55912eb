import Foundation

/// An update of an asset by a task that succeeded (Airflow's `AssetEventResponse`).
public struct AssetEvent: Sendable, Hashable, Codable {
    /// The store's id of the event.
    public var id: Int64
    public var assetId: Int64
    public var assetName: String
    public var assetURI: String
    public var sourceDagId: String
    public var sourceRunId: String
    public var sourceTaskId: String
    /// -1 for a task that is not mapped (Airflow's convention).
    public var sourceMapIndex: Int
    public var timestamp: Date
    public var extra: [String: JSONValue]

    public init(
        id: Int64, assetId: Int64, assetName: String, assetURI: String, sourceDagId: String,
        sourceRunId: String, sourceTaskId: String, sourceMapIndex: Int = -1, timestamp: Date,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id; self.assetId = assetId; self.assetName = assetName; self.assetURI = assetURI
        self.sourceDagId = sourceDagId; self.sourceRunId = sourceRunId; self.sourceTaskId = sourceTaskId
        self.sourceMapIndex = sourceMapIndex; self.timestamp = timestamp; self.extra = extra
    }

    /// The run that produced the event.
    public var sourceRun: RunKey { RunKey(sourceDagId, sourceRunId) }
}
