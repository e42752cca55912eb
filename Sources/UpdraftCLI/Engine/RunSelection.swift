import ArgumentParser
import UpdraftRuntime

/// The run a command acts on: `RUN` and, when several DAGs have a run with that id, `--dag DAG`.
struct RunSelection: ParsableArguments {
    @Argument(help: ArgumentHelp("The run id.", valueName: "run-id")) var runId: String
    @Option(
        name: .customLong("dag"),
        help: ArgumentHelp(
            "The run's DAG (needed when several DAGs have a run with this id).", valueName: "dag-id"))
    var dagId: String?

    /// The stored run; throws naming the run id, or the DAGs that share it.
    func run(in engine: Engine) async throws -> DAGRun { try await engine.resolveRun(runId, dagId: dagId) }
}
