import Foundation

/// One version of a DAG's structure (Airflow 3's `dag_version` row): a new one is recorded when
/// the structure hash of the DAG in code differs from its latest one. Runs name the version they
/// were created with (`DAGRun.dagVersionId`).
///
/// ```swift
/// let latest = try await store.syncDAGVersions(["etl": hash], now: now)["etl"]!
/// print(latest.versionNumber)
/// ```
public struct DAGVersionRecord: Sendable, Hashable {
    /// A UUID string, unique across DAGs.
    public var id: String
    public var dagId: String
    /// 1 for the DAG's first version, then +1 per change.
    public var versionNumber: Int
    /// The hash of the structure this version has (`DAG.structureHash`).
    public var structureHash: String
    public var createdAt: Date

    public init(id: String, dagId: String, versionNumber: Int, structureHash: String, createdAt: Date) {
        self.id = id; self.dagId = dagId; self.versionNumber = versionNumber; self.structureHash = structureHash
        self.createdAt = createdAt
    }
}

/// One stored XCom value with its place (Airflow's `XComResponse`).
public struct XComRecord: Sendable, Hashable {
    public var dagId: String
    public var runId: String
    public var taskId: String
    public var key: String
    /// The JSON bytes as the task pushed them.
    public var value: [UInt8]
    /// When the value was stored.
    public var timestamp: Date

    public init(dagId: String, runId: String, taskId: String, key: String, value: [UInt8], timestamp: Date) {
        self.dagId = dagId; self.runId = runId; self.taskId = taskId; self.key = key; self.value = value
        self.timestamp = timestamp
    }
}

/// Filters, order and page of `assetEvents(_:)` (Airflow's `GET /assets/events` parameters).
///
/// ```swift
/// let (events, total) = try await store.assetEvents(AssetEventQuery(assetId: 3, limit: 20, orderBy: "-timestamp"))
/// ```
public struct AssetEventQuery: Sendable, Hashable {
    public var assetId: Int64?
    public var sourceDagId: String?
    public var sourceTaskId: String?
    public var sourceRunId: String?
    /// Only events at or after this time.
    public var timestampGte: Date?
    /// Only events at or before this time.
    public var timestampLte: Date?
    public var limit: Int?
    public var offset: Int
    /// A field of `AssetEventQuery.orderFields`, `-` in front for descending; nil: `timestamp`
    /// ascending (Airflow's default). Another text makes the query throw `StoreError.invalidQuery`.
    public var orderBy: String?

    public init(
        assetId: Int64? = nil, sourceDagId: String? = nil, sourceTaskId: String? = nil, sourceRunId: String? = nil,
        timestampGte: Date? = nil, timestampLte: Date? = nil, limit: Int? = nil, offset: Int = 0,
        orderBy: String? = nil
    ) {
        self.assetId = assetId; self.sourceDagId = sourceDagId; self.sourceTaskId = sourceTaskId
        self.sourceRunId = sourceRunId; self.timestampGte = timestampGte; self.timestampLte = timestampLte
        self.limit = limit; self.offset = offset; self.orderBy = orderBy
    }

    /// The fields `orderBy` accepts (Airflow's names) and the column each sorts on.
    public static let orderFields: [String: String] = [
        "id": "e.id", "timestamp": "e.timestamp", "asset_id": "e.asset_id", "source_dag_id": "e.source_dag_id",
        "source_run_id": "e.source_run_id", "source_task_id": "e.source_task_id",
        "source_map_index": "e.source_map_index",
    ]

    /// The column and direction of `orderBy`; throws `invalidQuery` naming an unknown field.
    public func order() throws -> (field: String, column: String, descending: Bool) {
        guard let text = orderBy, !text.isEmpty else { return ("timestamp", "e.timestamp", false) }
        let descending = text.hasPrefix("-")
        let field = descending ? String(text.dropFirst()) : text
        guard let column = Self.orderFields[field] else {
            throw StoreError.invalidQuery(
                "cannot order asset events by '\(field)'; use one of \(Self.orderFields.keys.sorted().joined(separator: ", "))")
        }
        return (field, column, descending)
    }
}
