import Foundation
import UpdraftRuntime

/// The text of `runs show`, drawn by `RunTreeView` (public: extensions such as the demo print runs too).
public enum RunShowText {
    public static func render(
        run: DAGRun, instances: [TaskInstance], group: String?, depth: Int, now: Date,
        color: ColorMode = .forStandardOutput()
    ) throws -> String {
        var rows: [RunTreeRow] = []
        rows.reserveCapacity(instances.count)
        for instance in instances where instance.kind != "factory" { rows.append(RunTreeRow(instance)) }
        let view = RunTreeView(header: RunTreeHeader(run), rows: rows)
        var text: String
        do {
            text = try view.render(RunTreeOptions(group: group, depth: depth, color: color, now: now))
        } catch {
            throw CLIError.usage(error.description)
        }
        // A factory that could not build its tasks has no rows to show: say why here.
        let failedFactories = instances.filter { factory in
            factory.kind == "factory" && factory.state == .failed && factory.error != nil
                && !instances.contains { $0.group == factory.taskId }
        }.sorted { $0.taskId < $1.taskId }
        if !failedFactories.isEmpty {
            if !text.hasSuffix("\n") { text += "\n" }
            text += "\nFactories that could not build their tasks:\n"
            for factory in failedFactories {
                text +=
                    "  \(factory.taskId): \(factory.error ?? "failed") "
                    + "(log: updraft tasks logs \(run.runId) \(factory.taskId))\n"
            }
        }
        return text
    }

    /// The run's type and trigger, the asset events it consumed, its upstream and downstream
    /// runs, and its run log (callback and lease errors).
    static func lineage(
        run: DAGRun, consumed: [AssetEvent], upstream: [RunKey], downstream: [RunKey],
        runLog: [String]
    ) -> String {
        var lines = ["type: \(run.runType.rawValue)  triggered by: \(run.triggeredBy.rawValue)"]
        if !consumed.isEmpty {
            lines.append("consumed asset events:")
            for event in consumed {
                lines.append(
                    "  \(event.assetName) from \(event.sourceDagId)/\(event.sourceRunId) \(event.sourceTaskId) "
                        + "at \(RunIdentifier.timestamp(event.timestamp))")
            }
        }
        if !upstream.isEmpty { lines.append("upstream runs: " + upstream.map(\.description).joined(separator: ", ")) }
        if !downstream.isEmpty { lines.append("downstream runs: " + downstream.map(\.description).joined(separator: ", ")) }
        if !runLog.isEmpty {
            lines.append("run log:")
            lines += runLog.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
