/// A problem in a DAG's graph, naming the tasks at fault.
public enum GraphError: Error, CustomStringConvertible, Sendable, Equatable {
    case duplicateId(String)
    case unknownDependency(task: String, dependency: String)
    case cycle([String])
    case badSchedule(String)
    case badId(String)
    case factoryFailed(String, String)
    case fanOutCapExceeded(String, Int, Int)

    public var description: String {
        switch self {
        case .duplicateId(let id): "duplicate task id '\(id)'"
        case .unknownDependency(let task, let dependency):
            "task '\(task)' depends on unknown task '\(dependency)'"
        case .cycle(let path): "cycle: \(path.joined(separator: " >> "))"
        case .badSchedule(let message): "bad schedule: \(message)"
        case .badId(let id): "bad task id '\(id)': use letters, digits, '_' and '-' (no '.' or '/')"
        case .factoryFailed(let id, let message): "factory '\(id)' failed to build its tasks: \(message)"
        case .fanOutCapExceeded(let id, let count, let cap):
            "factory '\(id)' built \(count) tasks, more than its fan-out cap \(cap)"
        }
    }
}
