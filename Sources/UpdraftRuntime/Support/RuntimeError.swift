/// A runtime error that names the DAG, run or task at fault.
public enum RuntimeError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownDAG(String)
    case unknownRun(String)
    case unknownTask(dag: String, task: String)
    case invalidDAG(String, [String])
    case runOwned(String, String)
    case badRequest(String)

    public var description: String {
        switch self {
        case .unknownDAG(let id): "no DAG with id '\(id)'"
        case .unknownRun(let id): "no run with id '\(id)'"
        case .unknownTask(let dag, let task): "DAG '\(dag)' has no task '\(task)'"
        case .invalidDAG(let id, let problems): "DAG '\(id)' is invalid: " + problems.joined(separator: "; ")
        case .runOwned(let run, let owner): "run '\(run)' is being executed by \(owner)"
        case .badRequest(let message): message
        }
    }
}
