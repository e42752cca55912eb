/// Placeholder until the owning module lands its benchmark.
enum IngestBenchmark {
    static func run() async throws {}
}
