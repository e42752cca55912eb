/// A run's identity: its DAG id and its run id, as in Airflow (`/dags/{dag_id}/dagRuns/{dag_run_id}`).
///
/// Run ids such as `scheduled__2026-11-30T00:00:00+00:00` repeat across DAGs; only the pair is unique.
///
/// ```swift
/// let key = RunKey("get_symbols", "scheduled__2026-11-30T00:00:00+00:00")
/// let run = try store.run(key)
/// ```
public struct RunKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var dagId: String
    public var runId: String

    public init(_ dagId: String, _ runId: String) {
        self.dagId = dagId
        self.runId = runId
    }

    /// `dag_id/run_id`.
    public var description: String { "\(dagId)/\(runId)" }
}

extension DAGRun {
    /// The run's identity.
    public var key: RunKey { RunKey(dagId, runId) }
}

extension TaskInstance {
    /// The identity of the instance's run.
    public var runKey: RunKey { RunKey(dagId, runId) }
}
