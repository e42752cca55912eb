import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft backfill list [--dag DAG] [--json]`.
struct BackfillList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List backfills with their progress and state.")

    @OptionGroup var engine: EngineOptions
    @Option(help: "Only this DAG's backfills.") var dag: String?
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        var rows: [(BackfillRecord, BackfillProgress)] = []
        for backfill in try await engine.store.backfills(dagId: dag, activeOnly: false) {
            rows.append((backfill, try await engine.backfillPlan(backfill).progress))
        }
        if json {
            JSONOutput.print(rows.map { Self.json($0, $1) })
            return
        }
        var table = TextTable(
            ["ID", "DAG", "FROM", "TO", "STATE", "RUNS", "SUCCESS", "FAILED", "RUNNING", "QUEUED", "SKIPPED"],
            rightAligned: [0, 6, 7, 8, 9, 10])
        for (backfill, progress) in rows {
            table.append([
                "\(backfill.id)", backfill.dagId, RunIdentifier.timestamp(backfill.fromDate),
                RunIdentifier.timestamp(backfill.toDate), Self.state(backfill), "\(progress.created)/\(progress.total)",
                "\(progress.succeeded)", "\(progress.failed)", "\(progress.running)", "\(progress.queued)",
                "\(progress.skipped)",
            ])
        }
        print(table.render(), terminator: "")
    }

    /// `running`, `paused`, `completed`, or `cancelled` (completed while paused: only a cancel does that).
    static func state(_ backfill: BackfillRecord) -> String {
        if backfill.completedAt != nil { return backfill.isPaused ? "cancelled" : "completed" }
        return backfill.isPaused ? "paused" : "running"
    }

    /// Airflow's `BackfillResponse` fields, with the state and the progress counts.
    static func json(_ backfill: BackfillRecord, _ progress: BackfillProgress) -> JSONValue {
        .object([
            "id": .number(Double(backfill.id)), "dag_id": .string(backfill.dagId),
            "from_date": JSONOutput.date(backfill.fromDate), "to_date": JSONOutput.date(backfill.toDate),
            "run_backwards": .bool(backfill.runBackwards), "dag_run_conf": .object(backfill.dagRunConf),
            "reprocess_behavior": .string(backfill.reprocessBehavior.rawValue),
            "max_active_runs": .number(Double(backfill.maxActiveRuns)), "is_paused": .bool(backfill.isPaused),
            "created_at": JSONOutput.date(backfill.createdAt), "updated_at": JSONOutput.date(backfill.updatedAt),
            "completed_at": JSONOutput.date(backfill.completedAt),
            "triggering_user_name": backfill.triggeringUserName.map(JSONValue.string) ?? .null,
            "state": .string(state(backfill)),
            "progress": .object([
                "intervals": .number(Double(progress.intervals)), "skipped": .number(Double(progress.skipped)),
                "total": .number(Double(progress.total)), "created": .number(Double(progress.created)),
                "queued": .number(Double(progress.queued)), "running": .number(Double(progress.running)),
                "succeeded": .number(Double(progress.succeeded)), "failed": .number(Double(progress.failed)),
            ]),
        ])
    }
}
