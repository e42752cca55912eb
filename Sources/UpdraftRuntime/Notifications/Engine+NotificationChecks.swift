import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// Puts in the outbox what the rules that watch time say: runs still unfinished past their
    /// deadline (`sla`), schedules that produced no run when due (`missed_schedule`: the
    /// scheduler was down), assets not updated for too long (`asset_stale`). The scheduler calls
    /// it before creating due runs; each message is sent once (per run, due interval, or asset event).
    public func checkNotificationRules(now: Date) async throws {
        let rules = notifications.rules
        guard rules.contains(where: { [.sla, .missedSchedule, .assetStale].contains($0.event) }) else { return }
        var drafts: [NotificationDraft] = []
        func add(_ rule: NotificationRule, key: String, event: String, dagId: String?, runId: String?, title: String, lines: [String]) {
            for channel in notifications.channels(rule.channels) {
                drafts.append(
                    NotificationDraft(
                        key: "\(rule.name):\(key)", channel: channel, event: event, dagId: dagId, runId: runId, title: title,
                        lines: lines, createdAt: now))
            }
        }
        let slaRules = rules.filter { $0.event == .sla }
        if !slaRules.isEmpty {
            for run in try await store.runs(RunQuery(states: [.queued, .running])) {
                for rule in slaRules where rule.matches(dagId: run.dagId) {
                    let deadline = run.dataInterval.end.addingTimeInterval(rule.after ?? 0)
                    guard deadline < now else { continue }
                    add(
                        rule, key: "\(run.dagId):\(run.runId)", event: "sla_missed", dagId: run.dagId, runId: run.runId,
                        title: "\(run.dagId): run \(run.runId) is not finished \(Self.span(rule.after ?? 0)) after its data interval",
                        lines: [
                            "state \(run.state.rawValue); data interval ends \(TaskLog.timestamp(run.dataInterval.end)); "
                                + "deadline was \(TaskLog.timestamp(deadline))"
                        ])
                }
            }
        }
        let missedRules = rules.filter { $0.event == .missedSchedule }
        if !missedRules.isEmpty {
            for entry in try await store.dagEntries() where !entry.isPaused {
                guard let dag = registry.dags[entry.dagId], let last = entry.lastScheduledInterval else { continue }
                var missed: [DataInterval] = []
                var cursor = last
                while missed.count < 1000,
                    let next = dag.schedule.nextDataInterval(after: cursor, startDate: dag.startDate, catchup: true, now: now),
                    next != cursor
                {
                    missed.append(next)
                    cursor = next
                }
                for rule in missedRules where rule.matches(dagId: dag.id) {
                    // Due at its interval's end; missed when the grace after that has passed too.
                    let late = missed.filter { $0.end.addingTimeInterval(rule.grace) < now }
                    guard let first = late.first else { continue }
                    add(
                        rule, key: "\(dag.id):\(TaskLog.timestamp(first.start))", event: "schedule_missed", dagId: dag.id, runId: nil,
                        title: "\(dag.id): \(late.count) scheduled run(s) did not start when due (was the scheduler down?)",
                        lines: [
                            "first missed interval \(TaskLog.timestamp(first.start)) – \(TaskLog.timestamp(first.end)), "
                                + "due at \(TaskLog.timestamp(first.end))",
                            dag.catchup ? "catchup is on: the scheduler runs them now" : "catchup is off: only the latest one runs",
                        ])
                }
            }
        }
        let staleRules = rules.filter { $0.event == .assetStale }
        if !staleRules.isEmpty {
            let assets = try await store.assets()
            for rule in staleRules {
                guard let record = assets.first(where: { $0.asset.name == rule.asset || $0.asset.uri == rule.asset }) else { continue }
                let updated = record.lastEvent?.timestamp ?? record.createdAt
                guard now.timeIntervalSince(updated) > rule.maxAge ?? .infinity else { continue }
                add(
                    rule, key: "\(record.asset.uri):\(record.lastEvent?.id ?? 0)", event: "asset_stale", dagId: nil, runId: nil,
                    title: "asset \(record.asset.name) not updated for \(Self.span(now.timeIntervalSince(updated)))",
                    lines: [
                        record.lastEvent.map { "last event \(TaskLog.timestamp($0.timestamp)) by \($0.sourceDagId).\($0.sourceTaskId)" }
                            ?? "no event yet (known since \(TaskLog.timestamp(record.createdAt)))",
                        "allowed age \(Self.span(rule.maxAge ?? 0)); producers: "
                            + record.producingTasks.map { "\($0.dagId).\($0.taskId)" }.joined(separator: ", "),
                    ])
            }
        }
        try await store.enqueueNotifications(drafts)
    }

    /// `45s`, `12m`, `3h 20m`, `2d 4h`.
    static func span(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" }
        if total < 86_400 { return "\(total / 3600)h" + (total % 3600 >= 60 ? " \(total % 3600 / 60)m" : "") }
        return "\(total / 86_400)d" + (total % 86_400 >= 3600 ? " \(total % 86_400 / 3600)h" : "")
    }
}
