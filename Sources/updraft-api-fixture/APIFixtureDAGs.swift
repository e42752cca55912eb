import Foundation
import UpdraftCLI

/// DAGs the API tests (Swift and the official Python client) drive through a real server: params,
/// a factory group, a task that fails until a variable says otherwise, and a daily schedule for
/// backfills, and a gate the browser tests open while they watch the grid. Engine-only, like
/// `updraft-example`.
enum APIFixtureDAGs {
    static var all: [DAG] { [params, groups, flaky, daily, gate] }

    /// `api_params`: typed params; `compute` returns `n * 2` (an XCom the tests read back).
    static let params = DAG(
        "api_params", startDate: .utc(2024, 1, 1), tags: ["api", "params"], description: "Params and XCom.",
        params: [.integer("n", default: 3, description: "A number."), .string("label", default: "x", description: "A label.")]
    ) { d in
        let compute = d.task("compute") { ctx in
            let n = try ctx.param("n", as: Int.self) ?? 3
            ctx.log.info("computing \(n) * 2 for \(try ctx.param("label", as: String.self) ?? "")")
            return n * 2
        }
        d.task("report", compute) { ctx, value in ctx.log.info("result \(value)") }
    }

    /// `api_groups`: a factory group with one task per item (`per_item.alpha`, …).
    static let groups = DAG("api_groups", startDate: .utc(2024, 1, 1), tags: ["api"], description: "A factory group.") { d in
        let items = d.task("items") { _ in ["alpha", "beta", "gamma"] }
        let perItem = d.factory("per_item", from: items, as: [String].self) { items, g in
            for item in items { g.task(item) { ctx in ctx.log.info("item \(item)") } }
        }
        let summary = d.task("summary") { ctx in ctx.log.info("all items done") }
        perItem >> summary
    }

    /// `api_flaky`: `check` fails until the variable `api_flaky_ok` is `yes` (a test sets it, then
    /// clears the task and sees it succeed).
    static let flaky = DAG("api_flaky", startDate: .utc(2024, 1, 1), tags: ["api"], description: "Fails until told.") { d in
        let check = d.task("check") { ctx in
            let value = try ctx.variable("api_flaky_ok")
            ctx.log.info("api_flaky_ok is \(value ?? "unset")")
            guard value == "yes" else { throw TaskFailure("the variable api_flaky_ok is not 'yes'") }
        }
        let after = d.task("after") { ctx in ctx.log.info("after check") }
        check >> after
    }

    /// `api_daily`: a daily schedule (paused at creation) for backfills.
    static let daily = DAG(
        "api_daily", schedule: "@daily", startDate: .utc(2024, 1, 1), tags: ["api", "daily"],
        description: "A daily DAG for backfills.", isPausedAtCreation: true
    ) { d in
        d.task("work") { ctx in ctx.log.info("working on \(ctx.dataInterval)") }
    }

    /// `ui_gate`: typed params (integer, string, boolean); `wait` polls the variable `ui_gate_open`
    /// every 100 ms (at most 120 s, logging each check) until it is `yes`, then a factory group
    /// `parts` runs one task per part (`count` of them). The browser tests trigger it from the form,
    /// see it running in the grid, open the gate through the API and watch the grid turn to success.
    static let gate = DAG(
        "ui_gate", startDate: .utc(2024, 1, 1), tags: ["ui"], description: "Waits for a variable, then a factory group.",
        params: [
            .integer("count", default: 2, description: "How many parts."),
            .string("note", default: "gate", description: "A note for the log."),
            .boolean("loud", default: false, description: "Whether each part logs the note."),
        ]
    ) { d in
        let wait = d.task("wait") { ctx in
            let count = try ctx.param("count", as: Int.self) ?? 2
            ctx.log.info("note: \(try ctx.param("note", as: String.self) ?? "")")
            for check in 1...1200 {
                let value = try ctx.variable("ui_gate_open")
                ctx.log.info("check \(check): ui_gate_open is \(value ?? "unset")")
                if value == "yes" { return (1...max(count, 1)).map { "part\($0)" } }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TaskFailure("the variable ui_gate_open did not become 'yes' within 120 s")
        }
        let parts = d.factory("parts", from: wait, as: [String].self) { parts, g in
            for part in parts {
                g.task(part) { ctx in
                    let loud = try ctx.param("loud", as: Bool.self) ?? false
                    ctx.log.info(loud ? "\(part): \(try ctx.param("note", as: String.self) ?? "")" : part)
                }
            }
        }
        let done = d.task("done") { ctx in ctx.log.info("gate passed") }
        parts >> done
    }
}
