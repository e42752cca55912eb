import Foundation
import UpdraftCore
import UpdraftStore

extension RunDriver {
    /// The outbox messages of one step, written in its commit: failures and retries of tasks
    /// (one message per run and rule, grouping the run's tasks while it waits), the notices of
    /// tries that succeeded (`ctx.notify`), and at the run's end its recovery; the end also
    /// makes the run's waiting messages due at once.
    func planNotifications(
        callbacks: [CallbackInfo], notices: [(taskId: String, notices: [TaskNotice])], runEnded: RunState?, now: Date,
        _ batch: inout StateBatch
    ) async {
        let settings = engine.notifications
        for (taskId, list) in notices {
            let unsent = list.filter { settings.channels($0.channels).isEmpty }
            if let first = unsent.first {
                // One line per try, not per notice: a task may notify hundreds of times.
                engine.home.appendRunLog(
                    dagId: dag.id, runId: run.runId,
                    "task \(taskId) asked to notify \(unsent.count) time(s) ('\(first.title)'…), but no notification channel is configured",
                    now: now)
            }
            for notice in list {
                for channel in settings.channels(notice.channels) {
                    batch.notifications.append(
                        NotificationDraft(
                            key: "notice:" + notice.key, channel: channel, event: notice.event, dagId: dag.id, runId: run.runId,
                            title: notice.title, lines: notice.lines, items: [NotificationItem(taskId: taskId, tryNumber: 0)],
                            createdAt: now))
                }
            }
        }
        if !settings.rules.isEmpty {
            var failures = callbacks.filter { $0.state == .failed || $0.state == .upForRetry }
            // A factory that fails ends without a try of its own, and so without a callback.
            for instance in batch.latestInstances where instance.state == .failed && graph[instance.taskId]?.isFactory == true {
                failures.append(
                    CallbackInfo(
                        dagId: dag.id, runId: run.runId, taskId: instance.taskId, tryNumber: max(instance.tryNumber, 1),
                        state: .failed, error: instance.error))
            }
            for info in failures { planFailure(info, settings: settings, now: now, &batch) }
        }
        guard let runEnded else { return }
        batch.releasedNotifications.append(run.key)
        let recoveryRules = settings.rules.filter { $0.event == .recovery && $0.matches(dagId: dag.id) }
        guard runEnded == .success, !recoveryRules.isEmpty, let previous = await previousFinishedRun(), previous.state == .failed
        else { return }
        for rule in recoveryRules {
            for channel in settings.channels(rule.channels) {
                batch.notifications.append(
                    NotificationDraft(
                        key: "\(rule.name):\(dag.id):\(run.runId)", channel: channel, event: "run_recovered", dagId: dag.id,
                        runId: run.runId, title: "\(dag.id): run \(run.runId) succeeded after run \(previous.runId) failed",
                        createdAt: now))
            }
        }
    }

    /// The failure or retry messages of one try, one per matching rule and channel.
    func planFailure(_ info: CallbackInfo, settings: NotificationSettings, now: Date, _ batch: inout StateBatch) {
        guard let taskId = info.taskId else { return }
        let event: NotificationRule.Event = info.state == .failed ? .failure : .retry
        let rules = settings.rules.filter { $0.event == event && $0.matches(dagId: dag.id, taskId: taskId) }
        guard !rules.isEmpty else { return }
        let item = NotificationItem(taskId: taskId, tryNumber: info.tryNumber, lines: errorLines(info))
        let title =
            event == .failure
            ? "\(dag.id): task \(taskId) failed (try \(info.tryNumber))"
            : "\(dag.id): task \(taskId) failed try \(info.tryNumber) and will retry"
        for rule in rules {
            for channel in settings.channels(rule.channels) {
                batch.notifications.append(
                    NotificationDraft(
                        key: "\(rule.name):\(dag.id):\(run.runId)", channel: channel,
                        event: event == .failure ? "task_failed" : "task_retry", dagId: dag.id, runId: run.runId,
                        title: title, items: [item], createdAt: now, sendAfter: now.addingTimeInterval(settings.groupWindow)))
            }
        }
    }

    /// The DAG's latest finished run before this one (by logical date); nil when there is none
    /// or the store cannot say (written to the run's log: a recovery message is not worth a run).
    func previousFinishedRun() async -> DAGRun? {
        do {
            var query = RunQuery(dagId: dag.id, states: [.success, .failed])
            query.logicalDateLte = run.logicalDate
            query.orderBy = RunOrder(.logicalDate, descending: true)
            query.limit = 5
            return try await engine.store.runs(query).first { $0.runId != run.runId && $0.logicalDate <= run.logicalDate }
        } catch {
            engine.home.appendRunLog(
                dagId: dag.id, runId: run.runId, "could not read the previous run for a recovery notification: \(error)",
                now: engine.clock.now)
            return nil
        }
    }

    /// The error and the last lines of the try's log (at most 5, each cut at 300 characters).
    func errorLines(_ info: CallbackInfo) -> [String] {
        var lines: [String] = []
        if let taskId = info.taskId, info.tryNumber > 0 {
            let path = engine.home.existingLogPath(dagId: dag.id, runId: run.runId, taskId: taskId, tryNumber: info.tryNumber)
            if let tail = LogFile.tail(path, bytes: 4096) {
                lines = tail.split(separator: "\n").suffix(5).map { String($0.prefix(300)) }
            }
        }
        if lines.isEmpty, let error = info.error { lines = [String(error.prefix(300))] }
        return lines
    }
}
