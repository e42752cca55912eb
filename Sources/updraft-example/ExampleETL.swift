import Foundation
import UpdraftCLI

/// `example_etl`: a small ETL that needs nothing but the engine: `extract` makes rows, `transform`
/// doubles them, `load` writes their sum to the try's log and returns it. Its tasks run in worker
/// processes of this same binary, which get the CLI's configuration in their start-up frame.
enum ExampleETL {
    static let dag = DAG("example_etl", startDate: .utc(2024, 1, 1), tags: ["example"],
                         description: "Extract, transform, load: the engine on its own.",
                         params: [.integer("n", default: 5, description: "How many rows to extract.")]) { d in
        let extract = d.task("extract") { ctx in
            let n = try ctx.param("n", as: Int.self) ?? 5
            return Array(1...max(1, n))
        }
        let transform = d.task("transform") { ctx in
            guard let rows = try ctx.xcom([Int].self, from: "extract") else {
                throw TaskFailure("extract pushed no rows")
            }
            return rows.map { $0 * 2 }
        }
        let load = d.task("load") { ctx in
            guard let rows = try ctx.xcom([Int].self, from: "transform") else {
                throw TaskFailure("transform pushed no rows")
            }
            let total = rows.reduce(0, +)
            let configuration = try ctx.resource(UpdraftConfiguration.self)
            ctx.log.info("loaded \(rows.count) rows, total \(total), home \(configuration.homeURL.path)")
            return total
        }
        extract >> transform
        transform >> load
    }
}
