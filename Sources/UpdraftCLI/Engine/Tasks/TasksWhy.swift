import ArgumentParser
import UpdraftRuntime

/// `updraft tasks why RUN TASK`.
struct TasksWhy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why", abstract: "Explain which readiness rules hold a task back, each with a reason.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Argument(help: "The task id.") var taskId: String
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        let checks = try await engine.why(run: selection.run(in: engine).key, taskId: taskId)
        if json {
            JSONOutput.print(
                checks.map {
                    .object([
                        "dep_name": .string($0.rule), "passed": .bool($0.passed),
                        "reason": .string($0.reason),
                    ])
                })
            return
        }
        for check in checks { print("\(check.passed ? "✓" : "✗") \(check.rule): \(check.reason)") }
    }
}
