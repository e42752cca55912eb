import UpdraftRuntime

/// `bench_chain`: conf `n` (default 50) no-op tasks in a line (per-hop latency).
enum BenchChain {
    static let dag = DAG(
        "bench_chain", tags: ["example"], description: "n no-op tasks in a line (benchmark).",
        params: [.integer("n", default: 50, description: "Number of tasks.")] + BenchSupport.params
    ) { d in
        d.factory("chain") { params, g in
            let count = params["n"]?.intValue ?? 50
            var previous: TaskRef?
            for index in 0..<count {
                let task = g.task("step_\(index)") { ctx in try await BenchSupport.work(ctx) }
                if let previous { previous >> task }
                previous = task
            }
        }
    }
}
