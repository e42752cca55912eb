import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft assets list [--json]`.
struct AssetsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List assets with their last event, producing tasks and consuming DAGs.")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array (Airflow's AssetResponse fields, with last_asset_event).") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        let assets = try await engine.store.assets()
        if json {
            JSONOutput.print(
                assets.map { record in
                    .object([
                        "id": .number(Double(record.id)), "name": .string(record.asset.name), "uri": .string(record.asset.uri),
                        "group": .string(record.asset.group), "extra": .object(record.asset.extra),
                        "created_at": JSONOutput.date(record.createdAt), "updated_at": JSONOutput.date(record.updatedAt),
                        "consumers": .array(record.consumingDAGs.map { .object(["dag_id": .string($0)]) }),
                        "producing_tasks": .array(
                            record.producingTasks.map {
                                .object(["dag_id": .string($0.dagId), "task_id": .string($0.taskId)])
                            }),
                        "last_asset_event": record.lastEvent.map(JSONOutput.assetEvent) ?? .null,
                    ])
                })
            return
        }
        var table = Columns(["ASSET", "URI", "LAST EVENT", "SOURCE RUN", "PRODUCED BY", "CONSUMERS"])
        for record in assets {
            let last = record.lastEvent
            table.add([
                record.asset.name, record.asset.uri, last.map { RunIdentifier.timestamp($0.timestamp) } ?? "-",
                last.map { "\($0.sourceDagId)/\($0.sourceRunId)" } ?? "-",
                record.producingTasks.map { "\($0.dagId).\($0.taskId)" }.joined(separator: ", "),
                record.consumingDAGs.joined(separator: ", "),
            ])
        }
        print(table.text)
    }
}
