import Foundation
import UpdraftCLI

/// DAGs the API tests (Swift and the official Python client) drive through a real server: params,
/// a factory group, a task that fails until a variable says otherwise, and a daily schedule for
/// backfills. Engine-only, like `updraft-example`.
enum APIFixtureDAGs {
    static var all: [DAG] { [params, groups, flaky, daily] }

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
}
