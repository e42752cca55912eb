import Foundation
import UpdraftCLI
import UpdraftDAGs
import UpdraftRuntime

// The registry of DAGs this binary ships; the CLI library does not depend on UpdraftDAGs,
// so anyone can build their own binary with their own registry the same way.
// `--home` and `--config` reach the environment first: the registry (DAG schedules come from the
// configuration) and the worker processes (which inherit the environment) depend on them.
UpdraftCommand.exportLocation(from: Array(CommandLine.arguments.dropFirst()))
let registry: DAGRegistry
do { registry = try UpdraftDAGs.registry() } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
// First: act as a worker when started by a WorkerPool (argv[1] == "__updraft_worker").
await TaskRunner.serveIfWorker(registry: registry)
await UpdraftCommand.main(registry: registry)
