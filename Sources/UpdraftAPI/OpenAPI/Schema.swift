import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Builders for the JSON Schemas of the OpenAPI document, and the component schemas of
/// Airflow's models that the server answers with (their field names, types and required lists
/// are Airflow's, as the official client decodes them).
public enum Schema {
    public static let string: JSONValue = .object(["type": "string"])
    public static let integer: JSONValue = .object(["type": "integer"])
    public static let number: JSONValue = .object(["type": "number"])
    public static let boolean: JSONValue = .object(["type": "boolean"])
    public static let dateTime: JSONValue = .object(["type": "string", "format": "date-time"])
    public static let uuid: JSONValue = .object(["type": "string", "format": "uuid"])
    public static let anyObject: JSONValue = .object(["type": "object", "additionalProperties": true])
    public static let anyValue: JSONValue = .object([:])

    public static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/" + name)]) }
    public static func array(_ items: JSONValue) -> JSONValue { .object(["type": "array", "items": items]) }
    public static func nullable(_ schema: JSONValue) -> JSONValue { .object(["anyOf": .array([schema, .object(["type": "null"])])]) }
    public static func enumeration(_ values: [String]) -> JSONValue {
        .object(["type": "string", "enum": .array(values.map { .string($0) })])
    }

    /// An object schema; `closed` forbids other properties (request bodies, as Airflow's do).
    public static func object(_ properties: [(String, JSONValue)], required: [String], closed: Bool = false) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: properties)),
            "required": .array(required.map { .string($0) }),
        ]
        if closed { schema["additionalProperties"] = false }
        return .object(schema)
    }

    /// `{<plural>: [item], total_entries}`.
    static func collection(_ plural: String, _ item: String) -> JSONValue {
        object([(plural, array(ref(item))), ("total_entries", integer)], required: [plural, "total_entries"])
    }

    static let n = nullable

    /// Airflow's states, types and enumerations as the client's enums spell them.
    static let dagRunStates = ["queued", "running", "success", "failed"]
    static let taskInstanceStates = [
        "removed", "scheduled", "queued", "running", "success", "restarting", "failed", "up_for_retry", "up_for_reschedule",
        "upstream_failed", "skipped", "deferred",
    ]
    static let dagRunTypes = ["backfill", "scheduled", "manual", "asset_triggered"]
    static let triggeredBy = ["cli", "operator", "rest_api", "ui", "test", "timetable", "asset", "backfill"]

    /// The component schemas of the Airflow API.
    static var components: [String: JSONValue] {
        var s: [String: JSONValue] = [:]
        s["HTTPExceptionResponse"] = object(
            [("detail", .object(["anyOf": .array([string, anyObject])]))], required: ["detail"])
        s["ValidationError"] = object(
            [
                ("loc", array(.object(["anyOf": .array([string, integer])]))), ("msg", string), ("type", string),
                ("input", anyValue), ("ctx", anyObject),
            ], required: ["loc", "msg", "type"])
        s["HTTPValidationError"] = object([("detail", array(ref("ValidationError")))], required: [])
        s["DagTagResponse"] = object(
            [("name", string), ("dag_id", string), ("dag_display_name", string)], required: ["name", "dag_id", "dag_display_name"])
        let dagFields: [(String, JSONValue)] = [
            ("dag_id", string), ("dag_display_name", string), ("is_paused", boolean), ("is_stale", boolean),
            ("last_parsed_time", n(dateTime)), ("last_parse_duration", n(number)), ("last_expired", n(dateTime)),
            ("bundle_name", n(string)), ("bundle_version", n(string)), ("relative_fileloc", n(string)), ("fileloc", string),
            ("description", n(string)), ("timetable_summary", n(string)), ("timetable_description", n(string)),
            ("timetable_partitioned", boolean), ("timetable_periodic", boolean),
            ("tags", array(ref("DagTagResponse"))), ("max_active_tasks", integer), ("max_active_runs", n(integer)),
            ("max_consecutive_failed_dag_runs", integer), ("has_task_concurrency_limits", boolean),
            ("has_import_errors", boolean), ("next_dagrun_logical_date", n(dateTime)),
            ("next_dagrun_data_interval_start", n(dateTime)), ("next_dagrun_data_interval_end", n(dateTime)),
            ("next_dagrun_run_after", n(dateTime)), ("owners", array(string)), ("file_token", string),
            ("is_backfillable", boolean), ("allowed_run_types", n(array(enumeration(dagRunTypes)))),
        ]
        let dagRequired = [
            "dag_id", "dag_display_name", "is_paused", "is_stale", "fileloc", "timetable_partitioned", "timetable_periodic",
            "tags", "max_active_tasks", "max_consecutive_failed_dag_runs", "has_task_concurrency_limits",
            "has_import_errors", "owners", "file_token", "is_backfillable",
        ]
        s["DAGResponse"] = object(dagFields, required: dagRequired)
        s["DAGDetailsResponse"] = object(
            dagFields + [
                ("catchup", boolean), ("dag_run_timeout", n(string)), ("asset_expression", n(anyObject)),
                ("doc_md", n(string)), ("start_date", n(dateTime)), ("end_date", n(dateTime)),
                ("is_paused_upon_creation", n(boolean)), ("params", n(anyObject)), ("render_template_as_native_obj", boolean),
                ("template_search_path", n(array(string))), ("timezone", n(string)), ("last_parsed", n(dateTime)),
                ("default_args", n(anyObject)), ("owner_links", n(anyObject)), ("concurrency", integer),
                ("latest_dag_version", n(ref("DagVersionResponse"))), ("active_runs_count", integer),
            ], required: dagRequired + ["catchup", "render_template_as_native_obj", "concurrency"])
        s["DAGCollectionResponse"] = collection("dags", "DAGResponse")
        s["DAGPatchBody"] = object([("is_paused", boolean)], required: ["is_paused"], closed: true)
        s["DagVersionResponse"] = object(
            [
                ("id", uuid), ("version_number", integer), ("dag_id", string), ("bundle_name", n(string)),
                ("bundle_version", n(string)), ("created_at", dateTime), ("dag_display_name", string), ("bundle_url", n(string)),
            ], required: ["id", "version_number", "dag_id", "created_at", "dag_display_name"])
        s["DAGVersionCollectionResponse"] = collection("dag_versions", "DagVersionResponse")
        s["DAGRunResponse"] = object(
            [
                ("dag_run_id", string), ("dag_id", string), ("logical_date", n(dateTime)), ("queued_at", n(dateTime)),
                ("start_date", n(dateTime)), ("end_date", n(dateTime)), ("duration", n(number)),
                ("data_interval_start", n(dateTime)), ("data_interval_end", n(dateTime)), ("run_after", dateTime),
                ("last_scheduling_decision", n(dateTime)), ("run_type", enumeration(dagRunTypes)),
                ("state", enumeration(dagRunStates)), ("triggered_by", n(enumeration(triggeredBy))),
                ("triggering_user_name", n(string)), ("conf", n(anyObject)), ("note", n(string)),
                ("dag_versions", array(ref("DagVersionResponse"))), ("bundle_version", n(string)),
                ("dag_display_name", string),
            ], required: ["dag_run_id", "dag_id", "run_after", "run_type", "state", "dag_versions", "dag_display_name"])
        s["DAGRunCollectionResponse"] = collection("dag_runs", "DAGRunResponse")
        s["TriggerDAGRunPostBody"] = object(
            [
                ("dag_run_id", n(.object(["type": "string", "minLength": 1, "maxLength": 250]))),
                ("data_interval_start", n(dateTime)), ("data_interval_end", n(dateTime)),
                ("logical_date", n(dateTime)), ("run_after", n(dateTime)), ("conf", n(anyObject)), ("note", n(string)),
            ], required: [], closed: true)
        s["DAGRunPatchBody"] = object(
            [("state", n(enumeration(["queued", "success", "failed"]))), ("note", n(string))], required: [], closed: true)
        s["DAGRunClearResponse"] = .object([
            "anyOf": .array([ref("TaskInstanceCollectionResponse"), ref("DAGRunResponse")]),
            "title": "Response Clear Dag Run",
        ])
        s["DAGRunClearBody"] = object(
            [("dry_run", boolean), ("only_failed", boolean), ("run_on_latest_version", boolean), ("note", n(string))],
            required: [], closed: true)
        let tiFields: [(String, JSONValue)] = [
            ("task_id", string), ("dag_id", string), ("dag_run_id", string), ("map_index", integer),
            ("start_date", n(dateTime)), ("end_date", n(dateTime)), ("duration", n(number)),
            ("state", n(enumeration(taskInstanceStates))), ("try_number", integer), ("max_tries", integer),
            ("task_display_name", string), ("dag_display_name", string), ("hostname", n(string)), ("unixname", n(string)),
            ("pool", string), ("pool_slots", integer), ("queue", n(string)), ("priority_weight", n(integer)),
            ("operator", n(string)), ("operator_name", n(string)), ("queued_when", n(dateTime)),
            ("scheduled_when", n(dateTime)), ("pid", n(integer)), ("executor", n(string)), ("executor_config", string),
            ("dag_version", n(ref("DagVersionResponse"))),
        ]
        let tiRequired = [
            "task_id", "dag_id", "dag_run_id", "map_index", "try_number", "max_tries", "task_display_name",
            "dag_display_name", "pool", "pool_slots", "executor_config",
        ]
        s["TaskInstanceResponse"] = object(
            tiFields + [
                ("id", uuid), ("logical_date", n(dateTime)), ("run_after", dateTime), ("note", n(string)),
                ("rendered_map_index", n(string)), ("rendered_fields", anyObject),
            ], required: tiRequired + ["id", "run_after"])
        s["TaskInstanceHistoryResponse"] = object(tiFields, required: tiRequired)
        s["TaskInstanceCollectionResponse"] = collection("task_instances", "TaskInstanceResponse")
        s["TaskInstanceHistoryCollectionResponse"] = collection("task_instances", "TaskInstanceHistoryResponse")
        s["PatchTaskInstanceBody"] = object(
            [
                ("new_state", n(enumeration(["success", "failed", "skipped"]))), ("note", n(string)),
                ("include_upstream", boolean), ("include_downstream", boolean), ("include_future", boolean),
                ("include_past", boolean),
            ], required: [], closed: true)
        s["ClearTaskInstancesBody"] = object(
            [
                ("dry_run", boolean), ("start_date", n(dateTime)), ("end_date", n(dateTime)), ("only_failed", boolean),
                ("only_running", boolean), ("reset_dag_runs", boolean), ("task_ids", n(array(string))),
                ("dag_run_id", n(string)), ("include_upstream", boolean), ("include_downstream", boolean),
                ("include_future", boolean), ("include_past", boolean), ("run_on_latest_version", boolean),
                ("prevent_running_task", boolean), ("note", n(string)),
            ], required: [], closed: true)
        s["StructuredLogMessage"] = .object([
            "type": "object", "additionalProperties": true,
            "properties": .object(["timestamp": n(dateTime), "event": string]), "required": .array(["event"]),
        ])
        s["TaskInstancesLogResponse"] = object(
            [
                ("content", .object(["anyOf": .array([array(ref("StructuredLogMessage")), array(string)])])),
                ("continuation_token", n(string)),
            ], required: ["content"])
        s["TaskDependencyResponse"] = object([("name", string), ("reason", string)], required: ["name", "reason"])
        s["TaskDependencyCollectionResponse"] = object(
            [("dependencies", array(ref("TaskDependencyResponse")))], required: ["dependencies"])
        let xcomFields: [(String, JSONValue)] = [
            ("key", string), ("timestamp", dateTime), ("logical_date", n(dateTime)), ("map_index", integer),
            ("task_id", string), ("dag_id", string), ("run_id", string), ("dag_display_name", string),
            ("task_display_name", string), ("run_after", dateTime),
        ]
        let xcomRequired = [
            "key", "timestamp", "map_index", "task_id", "dag_id", "run_id", "dag_display_name", "task_display_name", "run_after",
        ]
        s["XComResponse"] = object(xcomFields, required: xcomRequired)
        s["XComResponseNative"] = object(xcomFields + [("value", anyValue)], required: xcomRequired + ["value"])
        s["XComCollectionResponse"] = collection("xcom_entries", "XComResponse")
        s["PoolResponse"] = object(
            [
                ("name", string), ("slots", integer), ("description", n(string)), ("include_deferred", boolean),
                ("occupied_slots", integer), ("running_slots", integer), ("queued_slots", integer),
                ("scheduled_slots", integer), ("open_slots", integer), ("deferred_slots", integer),
            ],
            required: [
                "name", "slots", "include_deferred", "occupied_slots", "running_slots", "queued_slots", "scheduled_slots",
                "open_slots", "deferred_slots",
            ])
        s["PoolCollectionResponse"] = collection("pools", "PoolResponse")
        s["PoolBody"] = object(
            [
                ("name", .object(["type": "string", "minLength": 1, "maxLength": 256])),
                ("slots", .object(["type": "integer", "minimum": -1])), ("description", n(string)), ("include_deferred", boolean),
            ],
            required: ["name", "slots"], closed: true)
        s["PoolPatchBody"] = object(
            [
                ("pool", n(string)), ("slots", n(.object(["type": "integer", "minimum": -1]))), ("description", n(string)),
                ("include_deferred", n(boolean)),
            ],
            required: [], closed: true)
        s["VariableResponse"] = object(
            [("key", string), ("value", n(string)), ("description", n(string)), ("is_encrypted", boolean)],
            required: ["key", "is_encrypted"])
        s["VariableCollectionResponse"] = collection("variables", "VariableResponse")
        s["VariableBody"] = object(
            [("key", string), ("value", anyValue), ("description", n(string))], required: ["key", "value"], closed: true)
        let connectionFields: [(String, JSONValue)] = [
            ("connection_id", string), ("conn_type", string), ("description", n(string)), ("host", n(string)),
            ("login", n(string)), ("schema", n(string)), ("port", n(integer)), ("password", n(string)), ("extra", n(string)),
        ]
        s["ConnectionResponse"] = object(connectionFields, required: ["connection_id", "conn_type"])
        s["ConnectionCollectionResponse"] = collection("connections", "ConnectionResponse")
        var connectionBody = connectionFields
        connectionBody[0] = ("connection_id", .object(["type": "string", "pattern": "^[\\w.-]+$", "maxLength": 200]))
        s["ConnectionBody"] = object(connectionBody, required: ["connection_id", "conn_type"], closed: true)
        let assetReference: [(String, JSONValue)] = [("dag_id", string), ("created_at", dateTime), ("updated_at", dateTime)]
        s["DagScheduleAssetReference"] = object(assetReference, required: ["dag_id", "created_at", "updated_at"])
        s["TaskOutletAssetReference"] = object(
            assetReference + [("task_id", string)], required: ["dag_id", "task_id", "created_at", "updated_at"])
        s["TaskInletAssetReference"] = s["TaskOutletAssetReference"]
        s["LastAssetEventResponse"] = object([("id", n(integer)), ("timestamp", n(dateTime))], required: [])
        s["AssetResponse"] = object(
            [
                ("id", integer), ("name", string), ("uri", string), ("group", string), ("extra", n(anyObject)),
                ("created_at", dateTime), ("updated_at", dateTime),
                ("scheduled_dags", array(ref("DagScheduleAssetReference"))),
                ("producing_tasks", array(ref("TaskOutletAssetReference"))),
                ("consuming_tasks", array(ref("TaskInletAssetReference"))), ("aliases", array(anyObject)),
                ("watchers", array(anyObject)), ("last_asset_event", n(ref("LastAssetEventResponse"))),
            ],
            required: [
                "id", "name", "uri", "group", "created_at", "updated_at", "scheduled_dags", "producing_tasks",
                "consuming_tasks", "aliases", "watchers",
            ])
        s["AssetCollectionResponse"] = collection("assets", "AssetResponse")
        s["DagRunAssetReference"] = object(
            [
                ("run_id", string), ("dag_id", string), ("logical_date", n(dateTime)), ("start_date", dateTime),
                ("end_date", n(dateTime)), ("state", string), ("data_interval_start", n(dateTime)),
                ("data_interval_end", n(dateTime)), ("triggering", boolean),
            ], required: ["run_id", "dag_id", "start_date", "state", "triggering"])
        s["AssetEventResponse"] = object(
            [
                ("id", integer), ("asset_id", integer), ("uri", n(string)), ("name", n(string)), ("group", n(string)),
                ("extra", n(anyObject)), ("source_task_id", n(string)), ("source_dag_id", n(string)),
                ("source_run_id", n(string)), ("source_map_index", integer),
                ("created_dagruns", array(ref("DagRunAssetReference"))), ("timestamp", dateTime),
            ], required: ["id", "asset_id", "source_map_index", "created_dagruns", "timestamp"])
        s["AssetEventCollectionResponse"] = collection("asset_events", "AssetEventResponse")
        s["CreateAssetEventsBody"] = object([("asset_id", integer), ("extra", anyObject)], required: ["asset_id"], closed: true)
        s["BackfillResponse"] = object(
            [
                ("id", integer), ("dag_id", string), ("from_date", dateTime), ("to_date", dateTime),
                ("dag_run_conf", anyObject), ("is_paused", boolean),
                ("reprocess_behavior", enumeration(["failed", "completed", "none"])), ("max_active_runs", integer),
                ("created_at", dateTime), ("completed_at", n(dateTime)), ("updated_at", dateTime),
                ("dag_display_name", string),
            ],
            required: [
                "id", "dag_id", "from_date", "to_date", "dag_run_conf", "is_paused", "reprocess_behavior",
                "max_active_runs", "created_at", "completed_at", "updated_at", "dag_display_name",
            ])
        s["BackfillCollectionResponse"] = collection("backfills", "BackfillResponse")
        s["BackfillPostBody"] = object(
            [
                ("dag_id", string), ("from_date", dateTime), ("to_date", dateTime), ("run_backwards", boolean),
                ("dag_run_conf", anyObject), ("reprocess_behavior", enumeration(["failed", "completed", "none"])),
                ("max_active_runs", integer), ("run_on_latest_version", boolean),
            ], required: ["dag_id", "from_date", "to_date"], closed: true)
        s["EventLogResponse"] = object(
            [
                ("event_log_id", integer), ("when", dateTime), ("dag_id", n(string)), ("task_id", n(string)),
                ("run_id", n(string)), ("map_index", n(integer)), ("try_number", n(integer)), ("event", string),
                ("logical_date", n(dateTime)), ("owner", n(string)), ("extra", n(string)),
                ("dag_display_name", n(string)), ("task_display_name", n(string)),
            ], required: ["event_log_id", "when", "event"])
        s["EventLogCollectionResponse"] = collection("event_logs", "EventLogResponse")
        s["BaseInfoResponse"] = object([("status", n(string))], required: [])
        s["SchedulerInfoResponse"] = object(
            [("status", n(string)), ("latest_scheduler_heartbeat", n(string))], required: [])
        s["TriggererInfoResponse"] = object(
            [("status", n(string)), ("latest_triggerer_heartbeat", n(string))], required: [])
        s["DagProcessorInfoResponse"] = object(
            [("status", n(string)), ("latest_dag_processor_heartbeat", n(string))], required: [])
        s["HealthInfoResponse"] = object(
            [
                ("metadatabase", ref("BaseInfoResponse")), ("scheduler", ref("SchedulerInfoResponse")),
                ("triggerer", ref("TriggererInfoResponse")), ("dag_processor", n(ref("DagProcessorInfoResponse"))),
            ], required: ["metadatabase", "scheduler", "triggerer"])
        s["VersionInfo"] = object([("version", string), ("git_version", n(string))], required: ["version"])
        s["LoginBody"] = object([("username", string), ("password", string)], required: ["username", "password"], closed: true)
        s["LoginResponse"] = object([("access_token", string)], required: ["access_token"])
        s["SessionResponse"] = object([("csrf_token", string)], required: ["csrf_token"])
        return s
    }
}
