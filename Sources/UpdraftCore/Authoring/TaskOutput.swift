/// The typed output of a task: the value its body returns, stored as its `return_value` XCom.
///
/// Passing it to another task creates the edge and hands the value over with its type, as
/// Airflow's TaskFlow does with `double(extract())`:
///
/// ```swift
/// let extract = d.task("extract") { _ in [1, 2, 3] }                    // TaskOutput<[Int]>
/// let double = d.task("double", extract) { _, rows in rows.map { $0 * 2 } }
/// let report = d.task("report", extract, double) { ctx, rows, doubled in
///     ctx.log.info("\(rows.count) rows, sum \(doubled.reduce(0, +))")
/// }
/// d.factory("per_row", from: extract) { rows, g in /* one task per row */ }
/// ```
/// It is a `TaskRef`, so `>>`, `<<` and `chain` work on it as on any task.
public final class TaskOutput<Value: Codable & Sendable>: TaskRef {
    /// The full id of the task producing the value.
    public var taskId: String { id }
}

/// Why a typed input could not be delivered to a task.
public struct TaskInputError: Error, CustomStringConvertible, Sendable {
    /// The full id of the producing task.
    public var source: String
    /// The full id of the task that needed the value.
    public var task: String

    public var description: String {
        "task '\(task)' needs the output of '\(source)', which has none (did it end skipped, or fail "
            + "with a trigger rule that let '\(task)' run anyway?)"
    }
}

extension TaskContext {
    /// The value of a typed task output, as delivered to a task it feeds.
    ///
    /// Throws `TaskInputError` when the producer stored no value, and the store's error when
    /// reading it fails: a missing input never becomes an empty one.
    public func value<Value>(of output: TaskOutput<Value>) throws -> Value {
        try input(Value.self, from: output.taskId)
    }

    /// The `return_value` of the task `source` (a full id) decoded as `Value`; throws when absent.
    func input<Value: Decodable>(_ type: Value.Type, from source: String) throws -> Value {
        guard let value = try xcom(Value.self, from: source) else {
            throw TaskInputError(source: source, task: taskId)
        }
        return value
    }
}
