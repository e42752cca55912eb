import UpdraftCore

/// A runtime error that names the DAG, run or task at fault.
public enum RuntimeError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownDAG(String)
    case unknownRun(RunKey)
    /// No DAG has a run with this id.
    case unknownRunId(String)
    /// Several DAGs have a run with this id (the DAG ids, sorted).
    case ambiguousRun(String, [String])
    case unknownTask(dag: String, task: String)
    case invalidDAG(String, [String])
    case runOwned(RunKey, String)
    case badRequest(String)
    /// The state database is missing or empty although the home's marker says it held state.
    case stateDatabaseLost(database: String, missing: Bool, marker: String, since: String)

    public var description: String {
        switch self {
        case .unknownDAG(let id): "no DAG with id '\(id)'"
        case .unknownRun(let key): "DAG '\(key.dagId)' has no run with id '\(key.runId)'"
        case .unknownRunId(let id): "no run with id '\(id)'"
        case .ambiguousRun(let id, let dags):
            "run id '\(id)' exists in DAGs \(dags.joined(separator: ", ")): name one with --dag"
        case .unknownTask(let dag, let task): "DAG '\(dag)' has no task '\(task)'"
        case .invalidDAG(let id, let problems): "DAG '\(id)' is invalid: " + problems.joined(separator: "; ")
        case .runOwned(let run, let owner): "run '\(run.runId)' of DAG '\(run.dagId)' is being executed by \(owner)"
        case .badRequest(let message): message
        case .stateDatabaseLost(let database, let missing, let marker, let since):
            "\(database) is \(missing ? "missing" : "empty (0 bytes)"), but \(marker) says it has held this home's "
                + "run history \(since): restore it from a backup, or, to start over on purpose with no history, "
                + "delete \(marker)"
        }
    }
}
