import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /dags/{dag_id}/runs/{run_id}/tasks/{task_id}[?try=N]`: the task instance's tries with
/// their states and durations, the log of one try (followed live while it runs), its XComs, why it
/// is not running (the readiness rules), and for users whose role allows it the actions clear
/// (with downstream, upstream, failed only) and mark success or failed, as forms.
enum TaskInstancePage {
    /// Most log bytes a page shows before pointing to the full log.
    static let logLimit = 512 * 1024

    static var routes: [WebRoute] {
        [
            .page(.get, "/dags/{dag_id}/runs/{run_id}/tasks/{task_id}") { request in try await render(request) },
            .page(.post, "/dags/{dag_id}/runs/{run_id}/tasks/{task_id}/clear", role: .user) { request in
                let (dag, _) = try await request.dag()
                let run = try await request.run(of: dag)
                let taskId = request.path("task_id")
                let form = request.form()
                _ = try await request.context.engine.clear(
                    run: run.key, taskIds: [taskId], downstream: form["downstream"] != nil, upstream: form["upstream"] != nil,
                    failedOnly: form["failed_only"] != nil, owner: request.identity?.username)
                await request.context.engine.wakeScheduler()
                return .redirect(PagePath.task(dag.id, run.runId, taskId))
            },
            .page(.post, "/dags/{dag_id}/runs/{run_id}/tasks/{task_id}/mark", role: .user) { request in
                let (dag, _) = try await request.dag()
                let run = try await request.run(of: dag)
                let taskId = request.path("task_id")
                let form = request.form()
                guard let state = form["state"].flatMap(TaskState.init(rawValue:)), state == .success || state == .failed else {
                    throw APIError.badRequest("state must be success or failed")
                }
                _ = try await request.context.engine.markTask(
                    run: run.key, taskId: taskId, state: state, downstream: form["downstream"] != nil, owner: request.identity?.username)
                await request.context.engine.wakeScheduler()
                return .redirect(PagePath.task(dag.id, run.runId, taskId))
            },
        ]
    }

    static func render(_ request: WebRequest) async throws -> APIResponse {
        let (dag, entry) = try await request.dag()
        let run = try await request.run(of: dag)
        let taskId = request.path("task_id")
        let context = request.context
        guard let instance = try await context.store.taskInstance(run: run.key, taskId: taskId) else {
            throw APIError.notFound("TaskInstance with dag_id: `\(dag.id)`, run_id: `\(run.runId)` and task_id: `\(taskId)` was not found")
        }
        var tries = try await context.store.tries(run: run.key, taskId: taskId)
        if instance.tryNumber > 0, !tries.contains(where: { $0.tryNumber == instance.tryNumber }) {
            tries.append(
                TaskTry(
                    dagId: dag.id, runId: run.runId, taskId: taskId, tryNumber: instance.tryNumber, state: instance.state,
                    startDate: instance.startDate, endDate: instance.endDate, error: instance.error))
        }
        tries.sort { $0.tryNumber < $1.tryNumber }
        let chosen = Int(request.query("try") ?? "") ?? tries.last?.tryNumber
        let xcoms = try await context.store.xcoms(run: run.key, taskId: taskId)
        let checks =
            instance.state.isTerminal || instance.state.isActive
            ? [] : try await context.engine.why(run: run.key, taskId: taskId)
        let canAct = request.allows(.user)
        // Only the log's tail is read: a huge log costs no more than `logLimit` per page view.
        var tail: LogTail?
        if let chosen {
            let key = TryKey(dagId: dag.id, runId: run.runId, taskId: taskId, tryNumber: chosen)
            let start = max(0, try await context.engine.tryLogSize(key) - logLimit)
            var (lines, end) = try await TaskLogRoute.read(context.engine, key, from: start)
            if start > 0, !lines.isEmpty { lines.removeFirst() }  // the first line read may be cut
            tail = LogTail(lines: lines, start: start, end: end)
        }
        return PageLayout.page(
            request, title: taskId + " · " + run.runId,
            crumbs: [
                Crumb("DAGs", "/dags"), Crumb(dag.id, PagePath.grid(dag.id)), Crumb(run.runId, PagePath.run(dag.id, run.runId)),
                Crumb(taskId),
            ]
        ) { html in
            DAGHeader.render(&html, request, dag: dag, entry: entry, current: .task)
            html.element("div", ["class": "toolbar"]) { html in
                html.element("h2", ["style": "margin:0"], text: taskId)
                html.badge(StateStyle.of(instance.state))
            }
            html.element("dl", ["class": "facts"]) { html in
                fact(&html, "Run") { html in html.element("a", ["href": PagePath.run(dag.id, run.runId)], text: run.runId) }
                // A clear starts a new try without using a retry, so the try number can pass the retries.
                fact(&html, "Try") { html in html.text("#\(instance.tryNumber)") }
                fact(&html, "Retries") { html in html.text("\(instance.maxTries) allowed") }
                fact(&html, "Pool · queue") { html in html.text(instance.pool + " · " + instance.queue) }
                fact(&html, "Started") { html in TimeText.render(&html, instance.startDate) }
                fact(&html, "Ended") { html in TimeText.render(&html, instance.endDate) }
                if let start = instance.startDate {
                    fact(&html, "Duration") { html in
                        html.text(TimeText.duration((instance.endDate ?? context.now).timeIntervalSince(start)))
                    }
                }
                if let retry = instance.nextRetryAt { fact(&html, "Next try") { html in TimeText.render(&html, retry) } }
                if let error = instance.error {
                    fact(&html, "Error") { html in html.element("span", ["class": "error mono"], text: error) }
                }
            }
            if canAct { actions(&html, request, dag: dag, run: run, taskId: taskId) }
            if !checks.isEmpty {
                html.element("h2", text: "Why it is not running")
                html.element("ul", ["class": "why"]) { html in
                    for check in checks {
                        html.element("li") { html in
                            html.element(
                                "span", ["class": "badge " + (check.passed ? "s-success" : "s-failed")],
                                text: check.passed ? "✓ passed" : "✗ waiting")
                            html.text(" " + check.rule + ": " + check.reason)
                        }
                    }
                }
            }
            html.element("h2", text: "Tries")
            triesTable(&html, dag: dag, run: run, taskId: taskId, tries: tries, chosen: chosen, now: context.now)
            if let chosen, let attempt = tries.first(where: { $0.tryNumber == chosen }), let tail {
                log(&html, tail, dag: dag, run: run, taskId: taskId, attempt: attempt, current: instance)
            }
            html.element("h2", text: "XComs")
            if xcoms.isEmpty {
                html.element("p", ["class": "muted"], text: "No XCom entries.")
            } else {
                html.element("table", ["class": "list xcoms"]) { html in
                    html.raw("<thead><tr><th>Key</th><th>Value</th><th>Stored</th></tr></thead><tbody>")
                    for xcom in xcoms {
                        html.open("tr")
                        html.element("td", ["class": "mono"], text: xcom.key)
                        html.element("td") { html in
                            let text = SecretMask.text(ofJSON: Array(xcom.value.prefix(64 * 1024)))
                            let cut = text.count > 4096 || xcom.value.count > 64 * 1024
                            html.element(
                                "pre", ["class": "mono", "style": "margin:0;white-space:pre-wrap"],
                                text: String(text.prefix(4096)) + (cut ? " …" : ""))
                        }
                        html.element("td") { html in TimeText.render(&html, xcom.timestamp) }
                        html.close("tr")
                    }
                    html.raw("</tbody>")
                }
            }
        }
    }

    static func fact(_ html: inout HTML, _ name: String, _ value: (inout HTML) -> Void) {
        html.element("dt", text: name)
        html.element("dd", [:], value)
    }

    static func actions(_ html: inout HTML, _ request: WebRequest, dag: DAG, run: DAGRun, taskId: String) {
        let base = PagePath.task(dag.id, run.runId, taskId)
        html.element("div", ["class": "panel actions"]) { html in
            html.element("form", ["method": "post", "action": base + "/clear", "class": "toolbar", "data-action": "clear"]) { html in
                if let csrf = request.csrfToken { html.open("input", ["type": "hidden", "name": "csrf_token", "value": csrf]) }
                html.element("button", ["type": "submit", "class": "primary"], text: "↻ Clear")
                for (name, label) in [("downstream", "downstream"), ("upstream", "upstream"), ("failed_only", "failed only")] {
                    html.element("label") { html in
                        html.open("input", ["type": "checkbox", "name": name])
                        html.text(" " + label)
                    }
                }
            }
            html.element("form", ["method": "post", "action": base + "/mark", "class": "toolbar", "data-action": "mark"]) { html in
                if let csrf = request.csrfToken { html.open("input", ["type": "hidden", "name": "csrf_token", "value": csrf]) }
                html.element("button", ["type": "submit", "name": "state", "value": "success"], text: "✓ Mark success")
                html.element("button", ["type": "submit", "name": "state", "value": "failed", "class": "danger"], text: "✗ Mark failed")
                html.element("label") { html in
                    html.open("input", ["type": "checkbox", "name": "downstream"])
                    html.text(" with downstream")
                }
            }
        }
    }

    static func triesTable(_ html: inout HTML, dag: DAG, run: DAGRun, taskId: String, tries: [TaskTry], chosen: Int?, now: Date) {
        guard !tries.isEmpty else { html.element("p", ["class": "muted"], text: "No try has started yet."); return }
        html.element("table", ["class": "list tries"]) { html in
            html.raw(
                "<thead><tr><th>Try</th><th>State</th><th>Started</th><th>Ended</th><th class=\"num\">Duration</th><th>Error</th></tr></thead><tbody>"
            )
            for attempt in tries {
                html.open("tr", ["aria-current": attempt.tryNumber == chosen ? "true" : nil, "data-try": String(attempt.tryNumber)])
                html.element("td") { html in
                    html.element(
                        "a", ["href": PagePath.task(dag.id, run.runId, taskId, tryNumber: attempt.tryNumber)], text: "#\(attempt.tryNumber)"
                    )
                }
                html.element("td") { html in html.badge(StateStyle.of(attempt.state)) }
                html.element("td") { html in TimeText.render(&html, attempt.startDate) }
                html.element("td") { html in TimeText.render(&html, attempt.endDate) }
                html.element("td", ["class": "num"]) { html in
                    if let start = attempt.startDate { html.text(TimeText.duration((attempt.endDate ?? now).timeIntervalSince(start))) }
                }
                html.element("td", ["class": "error mono"], text: attempt.error.map { String($0.prefix(300)) } ?? "")
                html.close("tr")
            }
            html.raw("</tbody>")
        }
    }

    /// The last lines of a try's log, where they start in it and the offset after them.
    struct LogTail { var lines: [String]; var start: Int; var end: Int }

    static func log(
        _ html: inout HTML, _ tail: LogTail, dag: DAG, run: DAGRun, taskId: String, attempt: TaskTry, current: TaskInstance
    ) {
        let (lines, start, end) = (tail.lines, tail.start, tail.end)
        let running = current.tryNumber == attempt.tryNumber && current.state.isActive
        html.element("div", ["class": "toolbar"]) { html in
            html.element("h2", ["style": "margin:0"], text: "Log of try #\(attempt.tryNumber)")
            html.element(
                "a",
                [
                    "href":
                        "/api/v2/dags/\(PagePath.segment(dag.id))/dagRuns/\(PagePath.segment(run.runId))/taskInstances/\(PagePath.segment(taskId))/logs/\(attempt.tryNumber)?full_content=true"
                ],
                text: "raw")
            if running { html.element("span", ["class": "live", "data-follow-status": ""], text: current.state.rawValue) }
        }
        var text = lines.joined(separator: "\n")
        if !lines.isEmpty { text += "\n" }
        if start > 0 {
            html.element("p", ["class": "muted"], text: "Only the last \(logLimit / 1024) KB are shown; the raw link has all of it.")
        }
        let follow =
            running
            ? "/api/v2/dags/\(PagePath.segment(dag.id))/dagRuns/\(PagePath.segment(run.runId))/taskInstances/\(PagePath.segment(taskId))/logs/\(attempt.tryNumber)?token=\(TaskLogRoute.encodeToken(end))"
            : nil
        html.element(
            "pre",
            ["class": "log", "data-follow": follow, "data-reload-when-done": running ? "" : nil, "tabindex": "0", "aria-label": "Log"]
        ) { html in
            if text.isEmpty, !running { html.raw("<span class=\"muted\">(empty log)</span>") } else { html.text(text) }
        }
    }
}
