import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Airflow's response models written from Updraft's records (field names and enumerations as
/// the official client decodes them; ``Schema`` documents the same fields).
enum Representation {
    /// Airflow has no `none` or `interrupted` task state: `none` is null, and a try cut off from
    /// outside that will run again is `restarting`.
    static func taskState(_ state: TaskState) -> String? {
        switch state {
        case .none: nil
        case .interrupted: "restarting"
        default: state.rawValue
        }
    }

    static func dag(_ o: inout ObjectWriter, _ dag: DAG, entry: DAGEntry?, now: Date) {
        o.field("dag_id", dag.id)
        o.field("dag_display_name", dag.id)
        o.field("is_paused", entry?.isPaused ?? dag.isPausedAtCreation)
        o.field("is_stale", entry == nil)
        o.nullField("last_parsed_time")
        o.nullField("last_parse_duration")
        o.nullField("last_expired")
        o.field("bundle_name", "dags")
        o.nullField("bundle_version")
        o.field("relative_fileloc", "dags")
        o.field("fileloc", "dags")
        o.field("description", dag.description.isEmpty ? nil : dag.description)
        var summary: String?
        var periodic = false
        switch dag.schedule {
        case .none: summary = nil
        case .once: summary = "@once"
        case .cron: summary = dag.scheduleText ?? dag.schedule.description; periodic = true
        }
        if dag.schedule == .none, let condition = dag.assetCondition { summary = "Asset: \(condition)" }
        o.field("timetable_summary", summary)
        o.field("timetable_description", summary.map { dag.schedule == .none ? "Triggered by assets" : "Cron \($0) (UTC)" })
        o.field("timetable_partitioned", false)
        o.field("timetable_periodic", periodic)
        o.field("tags") { json in
            json.array(dag.tags.sorted()) { json, tag in
                json.object { o in
                    o.field("name", tag)
                    o.field("dag_id", dag.id)
                    o.field("dag_display_name", dag.id)
                }
            }
        }
        o.field("max_active_tasks", dag.maxActiveTasks)
        o.field("max_active_runs", dag.maxActiveRuns)
        o.field("max_consecutive_failed_dag_runs", 0)
        o.field("has_task_concurrency_limits", false)
        o.field("has_import_errors", !dag.problems.isEmpty)
        let due =
            dag.schedule == .none
            ? nil
            : dag.schedule.nextDueDate(after: entry?.lastScheduledInterval, startDate: dag.startDate, catchup: dag.catchup, now: now)
        let interval = due.map { dag.schedule.dataInterval(forLogicalDate: $0) }
        o.field("next_dagrun_logical_date", interval?.start)
        o.field("next_dagrun_data_interval_start", interval?.start)
        o.field("next_dagrun_data_interval_end", interval?.end)
        o.field("next_dagrun_run_after", due)
        o.field("owners", strings: ["updraft"])
        o.field("file_token", dag.id)
        o.field("is_backfillable", periodic)
        o.nullField("allowed_run_types")
    }

    static func dagVersion(_ json: inout JSONWriter, _ version: DAGVersionRecord) {
        json.object { o in
            o.field("id", version.id)
            o.field("version_number", version.versionNumber)
            o.field("dag_id", version.dagId)
            o.field("bundle_name", "dags")
            o.field("bundle_version", EngineVersion.current)
            o.field("created_at", version.createdAt)
            o.field("dag_display_name", version.dagId)
            o.nullField("bundle_url")
        }
    }

    static func dagRun(_ json: inout JSONWriter, _ run: DAGRun, version: DAGVersionRecord?) {
        json.object { o in
            o.field("dag_run_id", run.runId)
            o.field("dag_id", run.dagId)
            o.field("logical_date", run.logicalDate)
            o.field("queued_at", run.queuedAt)
            o.field("start_date", run.startDate)
            o.field("end_date", run.endDate)
            var duration: Double?
            if let start = run.startDate, let end = run.endDate { duration = end.timeIntervalSince(start) }
            o.field("duration", duration)
            o.field("data_interval_start", run.dataInterval.start)
            o.field("data_interval_end", run.dataInterval.end)
            o.field("run_after", run.queuedAt)
            o.nullField("last_scheduling_decision")
            o.field("run_type", run.runType.rawValue)
            o.field("state", run.state.rawValue)
            o.field("triggered_by", run.triggeredBy.rawValue)
            o.field("triggering_user_name", run.triggeringUserName)
            o.field("conf", object: run.conf)
            o.field("note", run.note)
            o.field("dag_versions") { json in
                json.array(version.map { [$0] } ?? []) { json, version in dagVersion(&json, version) }
            }
            o.field("bundle_version", version == nil ? nil : EngineVersion.current)
            o.field("dag_display_name", run.dagId)
        }
    }

    /// A stable UUID for a task instance (Airflow's `id`): derived from its identity, so the same
    /// task instance has the same id in every answer.
    static func taskInstanceId(_ dagId: String, _ runId: String, _ taskId: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        func mix(_ text: String) {
            for byte in text.utf8 {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
            }
            a = (a ^ 0xff) &* 0x0000_0100_0000_01b3
            b = (b ^ 0xff) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        mix(dagId); mix(runId); mix(taskId)
        b = (b & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000  // version 4 layout
        a = (a & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, shift) in stride(from: 60, through: 0, by: -4).enumerated() {
            if index == 8 || index == 12 { text.append(45) }
            text.append(hex[Int((b >> UInt64(shift)) & 0xF)])
        }
        for (index, shift) in stride(from: 60, through: 0, by: -4).enumerated() {
            if index == 0 || index == 4 { text.append(45) }
            text.append(hex[Int((a >> UInt64(shift)) & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func taskInstance(
        _ json: inout JSONWriter, _ instance: TaskInstance, run: DAGRun, version: DAGVersionRecord?, history: Bool = false,
        tryRecord: TaskTry? = nil
    ) {
        json.object { o in
            if !history { o.field("id", taskInstanceId(instance.dagId, instance.runId, instance.taskId)) }
            o.field("task_id", instance.taskId)
            o.field("dag_id", instance.dagId)
            o.field("dag_run_id", instance.runId)
            o.field("map_index", -1)
            let start = tryRecord?.startDate ?? instance.startDate
            let end = tryRecord?.endDate ?? instance.endDate
            o.field("start_date", start)
            o.field("end_date", end)
            var duration: Double?
            if let start, let end { duration = end.timeIntervalSince(start) }
            o.field("duration", duration)
            o.field("state", taskState(tryRecord?.state ?? instance.state))
            o.field("try_number", tryRecord?.tryNumber ?? instance.tryNumber)
            o.field("max_tries", instance.maxTries)
            o.field("task_display_name", instance.taskId)
            o.field("dag_display_name", instance.dagId)
            o.nullField("hostname")
            o.nullField("unixname")
            o.field("pool", instance.pool)
            o.field("pool_slots", instance.poolSlots)
            o.field("queue", instance.queue)
            o.field("priority_weight", instance.priority)
            o.field("operator", instance.kind)
            o.field("operator_name", instance.kind)
            o.nullField("queued_when")
            o.nullField("scheduled_when")
            o.nullField("pid")
            o.field("executor", "WorkerPoolExecutor")
            o.field("executor_config", "{}")
            o.field("dag_version") { json in
                if let version { dagVersion(&json, version) } else { json.null() }
            }
            if !history {
                o.field("logical_date", run.logicalDate)
                o.field("run_after", run.queuedAt)
                o.nullField("note")
                o.nullField("rendered_map_index")
                o.field("rendered_fields", object: [:])
            }
        }
    }

    static func pool(_ json: inout JSONWriter, _ pool: PoolRecord, running: Int, queued: Int, scheduled: Int) {
        json.object { o in
            o.field("name", pool.name)
            o.field("slots", pool.slots)
            o.field("description", pool.description.isEmpty ? nil : pool.description)
            o.field("include_deferred", false)
            o.field("occupied_slots", running + queued)
            o.field("running_slots", running)
            o.field("queued_slots", queued)
            o.field("scheduled_slots", scheduled)
            o.field("open_slots", pool.slots < 0 ? -1 : max(0, pool.slots - running - queued))
            o.field("deferred_slots", 0)
        }
    }

    static func variable(_ json: inout JSONWriter, _ variable: VariableRecord) {
        json.object { o in
            o.field("key", variable.key)
            o.field("value", SensitiveNames.masked(variable.value, key: variable.key))
            o.field("description", variable.description)
            o.field("is_encrypted", false)
        }
    }

    static func connection(_ json: inout JSONWriter, _ connection: ConnectionRecord) {
        json.object { o in
            o.field("connection_id", connection.connectionId)
            o.field("conn_type", connection.connType)
            o.field("description", connection.description)
            o.field("host", connection.host)
            o.field("login", connection.login)
            o.field("schema", connection.schema)
            o.field("port", connection.port)
            o.field("password", connection.password == nil ? nil : SensitiveNames.mask)
            o.field("extra", connection.extra.map(SensitiveNames.maskedExtra))
        }
    }

    static func assetEvent(_ json: inout JSONWriter, _ event: AssetEvent, created: [DAGRun]) {
        json.object { o in
            o.field("id", event.id)
            o.field("asset_id", event.assetId)
            o.field("uri", event.assetURI)
            o.field("name", event.assetName)
            o.field("group", "asset")
            o.field("extra", object: event.extra)
            o.field("source_task_id", event.sourceTaskId.isEmpty ? nil : event.sourceTaskId)
            o.field("source_dag_id", event.sourceDagId.isEmpty ? nil : event.sourceDagId)
            o.field("source_run_id", event.sourceRunId.isEmpty ? nil : event.sourceRunId)
            o.field("source_map_index", event.sourceMapIndex)
            o.field("created_dagruns") { json in
                json.array(created) { json, run in
                    json.object { o in
                        o.field("run_id", run.runId)
                        o.field("dag_id", run.dagId)
                        o.field("logical_date", run.logicalDate)
                        o.field("start_date", run.startDate ?? run.queuedAt)
                        o.field("end_date", run.endDate)
                        o.field("state", run.state.rawValue)
                        o.field("data_interval_start", run.dataInterval.start)
                        o.field("data_interval_end", run.dataInterval.end)
                        o.field("triggering", true)
                    }
                }
            }
            o.field("timestamp", event.timestamp)
        }
    }

    static func eventLog(_ json: inout JSONWriter, _ event: EventLogRecord) {
        json.object { o in
            o.field("event_log_id", event.id)
            o.field("when", event.when)
            o.field("dag_id", event.dagId)
            o.field("task_id", event.taskId)
            o.field("run_id", event.runId)
            o.field("map_index", event.mapIndex)
            o.field("try_number", event.tryNumber)
            o.field("event", event.event)
            o.field("logical_date", event.logicalDate)
            o.field("owner", event.owner)
            o.field("extra", event.extra)
            o.field("dag_display_name", event.dagId)
            o.field("task_display_name", event.taskId)
        }
    }

    static func backfill(_ json: inout JSONWriter, _ backfill: BackfillRecord) {
        json.object { o in
            o.field("id", backfill.id)
            o.field("dag_id", backfill.dagId)
            o.field("from_date", backfill.fromDate)
            o.field("to_date", backfill.toDate)
            o.field("dag_run_conf", object: backfill.dagRunConf)
            o.field("is_paused", backfill.isPaused)
            o.field("reprocess_behavior", backfill.reprocessBehavior.rawValue)
            o.field("max_active_runs", backfill.maxActiveRuns)
            o.field("created_at", backfill.createdAt)
            o.field("completed_at", backfill.completedAt)
            o.field("updated_at", backfill.updatedAt)
            o.field("dag_display_name", backfill.dagId)
        }
    }
}
