import UpdraftRuntime

/// `bench_daily`: 10 tasks on `@daily` (extract, eight parallel transforms, load), for backfill.
enum BenchDaily {
    static let dag = DAG(
        "bench_daily", schedule: "@daily", startDate: .utc(2024, 1, 1), tags: ["example"],
        description: "Ten tasks on a daily schedule (backfill benchmark).",
        params: BenchSupport.params
    ) { d in
        let extract = d.task("extract") { ctx in
            try await BenchSupport.work(ctx)
            return ctx.dataInterval.start.timeIntervalSince1970
        }
        let transforms = (1...8).map { index in
            d.task("transform_\(index)") { ctx in try await BenchSupport.work(ctx) }
        }
        let load = d.task("load") { ctx in try await BenchSupport.work(ctx) }
        chain(extract, transforms, load)
    }
}
