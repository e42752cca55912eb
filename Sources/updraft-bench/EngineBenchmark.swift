/// Placeholder until the owning module lands its benchmark.
enum EngineBenchmark {
    static func run() async throws {}
}
