import UpdraftRuntime

/// `bench_fanout`: conf `n` (default 200) no-op tasks in parallel, built by a factory from the conf.
enum BenchFanout {
    static let dag = DAG(
        "bench_fanout", maxActiveTasks: 1_000_000, tags: ["example"],
        description: "n no-op tasks in parallel (benchmark).",
        params: [.integer("n", default: 200, description: "Number of tasks.")] + BenchSupport.params
    ) { d in
        d.factory("fan") { params, g in
            let count = params["n"]?.intValue ?? 200
            guard count >= 0 else { throw TaskFailure("conf n must be 0 or more, got \(count)") }
            for index in 0..<count { g.task("task_\(index)") { ctx in try await BenchSupport.work(ctx) } }
        }
    }
}
