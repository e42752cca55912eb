import Foundation
import UpdraftCLI
import UpdraftDAGs
import UpdraftRuntime

// The registry of DAGs this binary ships; the CLI library does not depend on UpdraftDAGs,
// so anyone can build their own binary with their own registry the same way.
let registry: DAGRegistry
do { registry = try UpdraftDAGs.registry() } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
// First: act as a worker when started by a WorkerPool (argv[1] == "__updraft_worker").
await TaskRunner.serveIfWorker(registry: registry)
await UpdraftCommand.main(registry: registry)
