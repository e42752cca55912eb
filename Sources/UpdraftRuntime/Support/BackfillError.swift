import Foundation

/// Why a backfill request is refused; each case names the backfill or DAG at fault. An API maps
/// `alreadyRunning` and `alreadyCompleted` to 409 Conflict, `unknownBackfill` to 404 and
/// `invalid` to 400 (Airflow's answers).
public enum BackfillError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The DAG already has an active (not completed) backfill: its id.
    case alreadyRunning(dagId: String, backfillId: Int64)
    case unknownBackfill(Int64)
    /// The backfill completed or was cancelled; it cannot be paused, resumed or cancelled.
    case alreadyCompleted(Int64)
    /// The request itself is wrong (range, schedule, max_active_runs).
    case invalid(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let dagId, let id): "There is already a running backfill for dag \(dagId) (backfill \(id))"
        case .unknownBackfill(let id): "no backfill with id \(id)"
        case .alreadyCompleted(let id): "backfill \(id) is already completed"
        case .invalid(let message): message
        }
    }
}
