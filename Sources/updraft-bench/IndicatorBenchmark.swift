/// Placeholder until the owning module lands its benchmark.
enum IndicatorBenchmark {
    static func run() async throws {}
}
