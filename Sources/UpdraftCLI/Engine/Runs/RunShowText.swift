import Foundation
import UpdraftRuntime

/// The text of `runs show`, drawn by `RunTreeView`.
enum RunShowText {
    static func render(run: DAGRun, instances: [TaskInstance], group: String?, depth: Int, now: Date,
                       color: ColorMode = .forStandardOutput()) throws -> String {
        let view = RunTreeView(header: RunTreeHeader(run), rows: instances.filter { $0.kind != "factory" }.map(RunTreeRow.init))
        do {
            return try view.render(RunTreeOptions(group: group, depth: depth, color: color, now: now))
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
