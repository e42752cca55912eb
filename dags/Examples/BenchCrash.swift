import Foundation
import UpdraftRuntime

/// `bench_crash`: a task that traps, one that hangs past its 1 s timeout, and three that
/// succeed, side by side. The run fails; the good tasks succeed; the engine goes on.
/// With conf `trap_factory: true`, the factory `built` traps while it builds its tasks.
enum BenchCrash {
    static let dag = DAG(
        "bench_crash", tags: ["example"], description: "Trap and timeout isolation.",
        params: [
            .boolean(
                "trap_factory", default: false,
                description: "Make the factory 'built' trap while building.")
        ]
            + BenchSupport.params
    ) { d in
        d.factory("built") { params, g in
            if params["trap_factory"] == .bool(true) {
                let sizes: [Int] = []
                fatalError("bench_crash: deliberate trap while building tasks (\(sizes.count) sizes)")
            }
            g.task("ok") { ctx in try await BenchSupport.work(ctx) }
        }
        d.task("trap") { ctx in
            BenchSupport.mark(ctx)
            let values: [Int] = []
            if ctx.tryNumber > 0 { fatalError("bench_crash: deliberate trap (index \(values.count))") }
        }
        d.task("hang", options: TaskOptions(executionTimeout: .seconds(1))) { ctx in
            BenchSupport.mark(ctx)
            try await Task.sleep(for: .seconds(3600))
        }
        for index in 1...3 {
            d.task("ok_\(index)") { ctx in try await BenchSupport.work(ctx) }
        }
    }
}
