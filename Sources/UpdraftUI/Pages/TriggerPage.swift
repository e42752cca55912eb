import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /dags/{dag_id}/trigger`: a form generated from the DAG's typed params (defaults filled,
/// descriptions shown); `POST` triggers the run (role `user`, the session's CSRF token in the
/// form) and opens the grid, or shows the form again with the server's message beside the field
/// at fault. Works without JavaScript.
enum TriggerPage {
    static var routes: [WebRoute] {
        [
            .page(.get, "/dags/{dag_id}/trigger", role: .user) { request in
                let (dag, entry) = try await request.dag()
                return render(request, dag: dag, entry: entry, values: [:], errors: [:], message: nil, status: .ok)
            },
            .page(.post, "/dags/{dag_id}/trigger", role: .user) { request in
                let (dag, entry) = try await request.dag()
                let form = request.form()
                var conf: [String: JSONValue] = [:]
                var errors: [String: String] = [:]
                for param in dag.params {
                    guard let text = form["param." + param.name] else { continue }
                    switch parse(text, kind: param.kind) {
                    case .success(let value?): conf[param.name] = value
                    case .success(nil): continue
                    case .failure(let problem): errors[param.name] = problem.message
                    }
                }
                let runId = form["run_id"].flatMap { $0.isEmpty ? nil : $0 }
                if let runId, let problem = runIdProblem(runId) { errors["run_id"] = problem }
                let note = form["note"].flatMap { $0.isEmpty ? nil : $0 }
                var message: String?
                if errors.isEmpty {
                    do {
                        _ = try dag.resolveParams(conf)
                        if let runId, try await request.context.store.run(RunKey(dag.id, runId)) != nil {
                            errors["run_id"] = "A run with this id already exists"
                        } else {
                            let run = try await request.context.engine.trigger(
                                dagId: dag.id, conf: conf, triggeredBy: .ui, runId: runId, note: note,
                                triggeringUserName: request.identity?.username)
                            await request.context.engine.wakeScheduler()
                            return .redirect(PagePath.grid(dag.id) + "?triggered=" + PagePath.segment(run.runId))
                        }
                    } catch let error as ConfError {
                        message = error.message
                        if let key = dag.params.first(where: {
                            error.message.contains("'\($0.name)'") || error.message.contains("`\($0.name)`")
                        }) {
                            errors[key.name] = error.message
                        }
                    } catch let error as RuntimeError {
                        message = error.description
                    }
                }
                return render(
                    request, dag: dag, entry: entry, values: form, errors: errors,
                    message: message ?? "The run was not triggered: fix the fields marked below.",
                    status: .badRequest)
            },
        ]
    }

    struct Problem: Error { var message: String }

    /// Why `runId` cannot name a run: the API's rule (1 to 250 characters) and no control
    /// characters, nor `.` or `..` (a path segment browsers resolve away).
    static func runIdProblem(_ runId: String) -> String? {
        if runId.count > 250 { return "A run id has at most 250 characters" }
        if runId.allSatisfy({ $0 == "." }) { return "A run id cannot be only dots" }
        if runId.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "A run id cannot hold control characters"
        }
        return nil
    }

    /// A field's text as the param's type; nil for an empty field (the default applies).
    static func parse(_ text: String, kind: DAGParam.Kind) -> Result<JSONValue?, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty, kind != .string { return .success(nil) }
        switch kind {
        case .string: return .success(text.isEmpty ? nil : .string(text))
        case .integer:
            guard let number = Int(trimmed) else {
                if let value = Double(trimmed), value.isFinite, value == value.rounded() {
                    return .failure(Problem(message: "\(trimmed) is outside the whole numbers this field takes (±\(Int.max))"))
                }
                return .failure(Problem(message: "Expected a whole number, got '\(trimmed)'"))
            }
            return .success(.number(Double(number)))
        case .number:
            guard let number = Double(trimmed), number.isFinite else {
                return .failure(Problem(message: "Expected a number, got '\(trimmed)'"))
            }
            return .success(.number(number))
        case .boolean:
            switch trimmed {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(Problem(message: "Expected true or false"))
            }
        case .array, .object:
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)) else {
                return .failure(Problem(message: "Expected JSON (\(kind.rawValue))"))
            }
            switch (kind, value) {
            case (.array, .array), (.object, .object): return .success(value)
            default: return .failure(Problem(message: "Expected a JSON \(kind.rawValue)"))
            }
        }
    }

    static func render(
        _ request: WebRequest, dag: DAG, entry: DAGEntry?, values: [String: String], errors: [String: String], message: String?,
        status: HTTPResponse.Status
    ) -> APIResponse {
        PageLayout.page(
            request, title: "Trigger " + dag.id,
            crumbs: [Crumb("DAGs", "/dags"), Crumb(dag.id, PagePath.grid(dag.id)), Crumb("Trigger")], status: status
        ) { html in
            html.element("h1", text: "Trigger " + dag.id)
            if let message { html.element("p", ["class": "notice error", "role": "alert"], text: message) }
            html.element("form", ["class": "stack trigger", "method": "post", "action": PagePath.dag(dag.id) + "/trigger"]) { html in
                if let csrf = request.csrfToken { html.open("input", ["type": "hidden", "name": "csrf_token", "value": csrf]) }
                if dag.params.isEmpty { html.element("p", ["class": "muted"], text: "This DAG takes no params.") }
                for param in dag.params { field(&html, param: param, value: values["param." + param.name], error: errors[param.name]) }
                html.element("details") { html in
                    html.element("summary", text: "Run id and note")
                    html.element("label") { html in
                        html.text("Run id")
                        html.element("small", text: "Empty: manual__<time>")
                        html.open("input", ["name": "run_id", "value": values["run_id"] ?? "", "maxlength": "250"])
                        if let error = errors["run_id"] { html.element("span", ["class": "field-error"], text: error) }
                    }
                    html.element("label") { html in
                        html.text("Note")
                        html.element("textarea", ["name": "note", "rows": "2"], text: values["note"] ?? "")
                    }
                }
                html.element("div", ["class": "toolbar"]) { html in
                    html.element("button", ["type": "submit", "class": "primary"], text: "▶ Trigger")
                    html.element("a", ["class": "button", "href": PagePath.grid(dag.id)], text: "Cancel")
                }
            }
        }
    }

    static func field(_ html: inout HTML, param: DAGParam, value: String?, error: String?) {
        let name = "param." + param.name
        let defaultText = text(param.defaultValue)
        let id = "param-" + param.name
        html.element("label", ["for": id]) { html in
            html.element("span") { html in
                html.element("code", text: param.name)
                html.element("small", text: " " + param.kind.rawValue + (param.defaultValue == .null ? "" : " · default " + defaultText))
            }
            if !param.description.isEmpty { html.element("small", text: param.description) }
            switch param.kind {
            case .boolean:
                html.element("select", ["id": id, "name": name, "data-param-kind": "boolean"]) { html in
                    let current = value ?? ""
                    html.element("option", ["value": "", "selected": current.isEmpty ? "" : nil], text: "default (\(defaultText))")
                    html.element("option", ["value": "true", "selected": current == "true" ? "" : nil], text: "true")
                    html.element("option", ["value": "false", "selected": current == "false" ? "" : nil], text: "false")
                }
            case .array, .object:
                html.element(
                    "textarea",
                    [
                        "id": id, "name": name, "rows": "3", "class": "mono", "placeholder": defaultText,
                        "data-param-kind": param.kind.rawValue,
                    ],
                    text: value ?? (param.defaultValue == .null ? "" : defaultText))
            case .integer, .number:
                html.open(
                    "input",
                    [
                        "id": id, "name": name, "type": "number", "step": param.kind == .integer ? "1" : "any",
                        "value": value ?? (param.defaultValue == .null ? "" : defaultText), "data-param-kind": param.kind.rawValue,
                    ])
            case .string:
                html.open(
                    "input",
                    [
                        "id": id, "name": name, "value": value ?? (param.defaultValue == .null ? "" : defaultText),
                        "data-param-kind": "string",
                    ])
            }
            if let error { html.element("span", ["class": "field-error", "role": "alert", "data-error-for": param.name], text: error) }
        }
    }

    /// A default as the field shows it (a string bare, anything else as JSON).
    static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        if case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return value.description
    }
}
