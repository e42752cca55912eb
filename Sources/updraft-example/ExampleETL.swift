import Foundation
import UpdraftCLI

/// `example_etl`: a small ETL that needs nothing but the engine: `extract` makes rows, `transform`
/// doubles them, `load` writes their sum to the try's log and returns it. Its tasks run in worker
/// processes of this same binary, which get the CLI's configuration in their start-up frame.
enum ExampleETL {
    static let dag = DAG(
        "example_etl", startDate: .utc(2024, 1, 1), tags: ["example"],
        description: "Extract, transform, load: the engine on its own.",
        params: [.integer("n", default: 5, description: "How many rows to extract.")]
    ) { d in
        let extract = d.task("extract") { ctx in
            let n = try ctx.param("n", as: Int.self) ?? 5
            guard n <= 10_000 else { throw TaskFailure("n is \(n): at most 10,000 rows") }
            return Array(1...max(1, n))
        }
        // Passing a task's output to the next makes the edge and hands the value over typed.
        let transform = d.task("transform", extract) { _, rows in rows.map { $0 * 2 } }
        d.task("load", transform) { ctx, rows in
            let total = rows.reduce(0, +)
            let configuration = try ctx.resource(UpdraftConfiguration.self)
            ctx.log.info("loaded \(rows.count) rows, total \(total), home \(configuration.homeURL.path)")
            // Counted in the worker, served by the run's owner (`updraft scheduler --metrics-port`).
            ctx.metrics.increment("updraft_rows_ingested_total", labels: ["table": "example"], by: rows.count)
            return total
        }
    }
}
