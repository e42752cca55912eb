import UpdraftRuntime

/// `bench_retry`: `flaky` fails on tries 1 and 2 and succeeds on try 3, with a constant retry
/// delay of conf `delay_s` (default 1) seconds; `after` runs once it succeeded.
enum BenchRetry {
    struct Flaky: Error, CustomStringConvertible {
        var tryNumber: Int
        var description: String { "flaky failure on try \(tryNumber)" }
    }

    static let dag = DAG(
        "bench_retry", tags: ["example"], description: "A task that succeeds on its third try.",
        params: [.number("delay_s", default: 1, description: "Retry delay in seconds.")] + BenchSupport.params
    ) { d in
        let retry = d.factory("retry") { params, g in
            let delay = params["delay_s"]?.doubleValue ?? 1
            let policy = RetryPolicy(retries: 2, initialDelay: .milliseconds(Int64(delay * 1000)))
            g.task("flaky", options: TaskOptions(retry: policy)) { ctx in
                try await BenchSupport.work(ctx)
                if ctx.tryNumber < 3 { throw Flaky(tryNumber: ctx.tryNumber) }
            }
        }
        let after = d.task("after") { ctx in try await BenchSupport.work(ctx) }
        retry >> after
    }
}
