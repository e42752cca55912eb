// A test-only binary hosting worker pools for UpdraftWorkersTests.
//
//   updraft-worker-fixture __updraft_worker        serve jobs (started by a pool)
//   updraft-worker-fixture __startup_worker        serve jobs after a start-up frame: reply
//                                                  "<frame>:<payload>"; payload "exit" exits 3
//   updraft-worker-fixture host N                  start a pool of N workers, print their pids, wait
//   updraft-worker-fixture bench [JOBS] [WORKERS]  no-op round trips per second
import Foundation
import UpdraftWorkers

await WorkerProcess.serveIfRequested { payload in
    await FixtureJob(payload).run()
}
await WorkerProcess.serveIfRequested(marker: "__startup_worker") { startup in
    { payload in
        if payload == Array("exit".utf8) { exit(3) }
        return startup + Array(":".utf8) + payload
    }
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "host":
    let size = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
    let pool = WorkerPool(WorkerPoolConfiguration(size: size))
    try await pool.start()
    print(await pool.livePIDs.map(String.init).joined(separator: " "))
    fflush(nil)
    while true { try await Task.sleep(for: .seconds(60)) }
case "bench":
    let jobs = arguments.count > 2 ? Int(arguments[2]) ?? 200_000 : 200_000
    let workers = arguments.count > 3 ? Int(arguments[3]) ?? 2 : 2
    try await PoolBenchmark(jobs: jobs, workers: workers).run()
default:
    print("usage: updraft-worker-fixture host N | bench [JOBS] [WORKERS]")
    exit(2)
}
