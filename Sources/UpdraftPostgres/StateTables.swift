/// The tables a copy between a SQLite state file and PostgreSQL carries, parents before children,
/// with each column's type. Leases, fences and scheduler rows are left out: they are the state of
/// running processes, which a copy does not move.
enum StateTables {
    enum ColumnType {
        case text, integer, real, boolean, blob

        /// The PostgreSQL array type of an `UNNEST` bind.
        var arrayType: String {
            switch self {
            case .text: "text[]"
            case .integer: "bigint[]"
            case .real: "float8[]"
            case .boolean: "boolean[]"
            case .blob: "bytea[]"
            }
        }
    }

    struct Table {
        var name: String
        var columns: [(name: String, type: ColumnType)]
        /// Whether `id` is an identity column whose sequence must move past the copied ids.
        var hasIdentity: Bool = false

        /// The quoted column list (`"group"` is a keyword).
        var columnList: String { columns.map { "\"\($0.name)\"" }.joined(separator: ", ") }
    }

    private static func table(_ name: String, identity: Bool = false, _ columns: String) -> Table {
        let types: [Character: ColumnType] = ["t": .text, "i": .integer, "d": .real, "b": .boolean, "x": .blob]
        return Table(
            name: name,
            columns: columns.split(separator: " ").map { spec in
                let parts = spec.split(separator: ":")
                return (String(parts[0]), types[parts[1].first!]!)
            }, hasIdentity: identity)
    }

    static let all: [Table] = [
        table("dag", "dag_id:t is_paused:b last_scheduled_start:d last_scheduled_end:d"),
        table(
            "backfill", identity: true,
            "id:i dag_id:t from_date:d to_date:d run_backwards:b dag_run_conf:t reprocess_behavior:t max_active_runs:i "
                + "is_paused:b triggering_user_name:t created_at:d updated_at:d completed_at:d"),
        table(
            "dag_run", identity: true,
            "id:i dag_id:t run_id:t state:t run_type:t triggered_by:t logical_date:d data_interval_start:d "
                + "data_interval_end:d queued_at:d start_date:d end_date:d conf:t backfill_id:i note:t "
                + "triggering_user_name:t dag_version_id:t"),
        table(
            "task_instance",
            "dag_id:t run_id:t task_id:t group_id:t state:t try_number:i failed_tries:i max_tries:i start_date:d "
                + "end_date:d next_retry_at:d pool:t pool_slots:i priority_weight:i kind:t error:t queue:t"),
        table(
            "task_instance_history", "dag_id:t run_id:t task_id:t try_number:i state:t start_date:d end_date:d error:t"),
        table("xcom", "dag_id:t run_id:t task_id:t key:t value:x"),
        table("factory_input", "dag_id:t run_id:t factory_id:t input:x"),
        table("slot_pool", "pool:t slots:i description:t"),
        table("asset", identity: true, "id:i name:t uri:t group:t extra:t created_at:d updated_at:d"),
        table("dag_schedule_asset_reference", "asset_id:i dag_id:t"),
        table("task_outlet_asset_reference", "asset_id:i dag_id:t task_id:t"),
        table(
            "asset_event", identity: true,
            "id:i asset_id:i source_dag_id:t source_run_id:t source_task_id:t source_map_index:i timestamp:d extra:t"),
        table("asset_dag_run_queue", "event_id:i target_dag_id:t"),
        table("dag_run_asset_event", "dag_id:t run_id:t event_id:i"),
        table("api_user", "username:t password_hash:t role:t created_at:d tokens_valid_after:d"),
        table("api_signing_key", "id:i key:x"),
        table("variable", "key:t val:t description:t"),
        table("connection", "conn_id:t conn_type:t description:t host:t schema:t login:t password:t port:i extra:t"),
        table(
            "log", identity: true,
            "id:i dttm:d event:t owner:t dag_id:t run_id:t task_id:t try_number:i map_index:i logical_date:d extra:t"),
        table("dag_version", "id:t dag_id:t version_number:i structure_hash:t created_at:d"),
        table(
            "notification", identity: true,
            "id:i key:t channel:t event:t dag_id:t run_id:t title:t lines:t items:t status:t attempts:i created_at:d "
                + "next_attempt_at:d sent_at:d last_error:t claim_owner:t claim_until:d"),
        table("notification_attempt", "notification_id:i number:i channel:t at:d error:t"),
        table(
            "task_queue",
            "dag_id:t run_id:t task_id:t try_number:i queue:t priority:i payload:x dag_hash:t enqueued_at:d state:t worker:t "
                + "claim_token:i claimed_at:d heartbeat_at:d expires_at:d finished_at:d result:x reason:t"),
        table("task_log_chunk", "dag_id:t run_id:t task_id:t try_number:i offset:i bytes:x"),
    ]

    /// Tables that must be empty before an import: the state a user would lose.
    static let mustBeEmpty = ["dag_run", "api_user", "variable", "connection"]
}
