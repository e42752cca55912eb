/// The names of the audit log's events (Airflow's `log.event`); the engine's operations write them
/// with the acting user as `owner` (the CLI: the OS user; the REST API: the API's user).
///
/// - `trigger_dag_run`: a manual run was triggered (`Engine.trigger`; scheduled, asset-triggered
///   and backfill runs are the engine's own work and are not logged).
/// - `clear`: tasks of a run were cleared (`extra`: the task ids).
/// - `mark_task_instance_success`, `mark_task_instance_failed`: a task was marked (`extra`: the ids marked).
/// - `mark_dag_run_success`, `mark_dag_run_failed`: a run was marked; `cancel_dag_run`: a run was cancelled.
/// - `set_dag_run_note`: a run's note was set or removed.
/// - `pause_dag`, `unpause_dag`: a DAG was paused or unpaused.
/// - `set_pool`, `delete_pool` (`extra`: the slots).
/// - `set_variable`, `delete_variable`, `set_connection`, `delete_connection`: never with a value
///   or password in `extra`.
/// - `set_user`, `delete_user` (`extra`: the role; never the password hash).
/// - `create_asset_event`: an asset event recorded from outside any run.
/// - `take_over_dag_run`: a process took a run over from an owner that died or stopped
///   heartbeating (`owner`: the new one, `host pid`; `extra`: the previous owner and the new fencing token).
public enum AuditEvent {
    public static let triggerDAGRun = "trigger_dag_run"
    public static let clear = "clear"
    public static func markTaskInstance(_ state: TaskState) -> String { "mark_task_instance_\(state.rawValue)" }
    public static func markDAGRun(_ state: RunState) -> String { "mark_dag_run_\(state.rawValue)" }
    public static let cancelDAGRun = "cancel_dag_run"
    public static let deleteDAGRun = "delete_dag_run"
    public static let setDAGRunNote = "set_dag_run_note"
    public static let pauseDAG = "pause_dag"
    public static let unpauseDAG = "unpause_dag"
    public static let setPool = "set_pool"
    public static let deletePool = "delete_pool"
    public static let setVariable = "set_variable"
    public static let deleteVariable = "delete_variable"
    public static let setConnection = "set_connection"
    public static let deleteConnection = "delete_connection"
    public static let setUser = "set_user"
    public static let deleteUser = "delete_user"
    public static let createAssetEvent = "create_asset_event"
    public static let takeOverDAGRun = "take_over_dag_run"
}
