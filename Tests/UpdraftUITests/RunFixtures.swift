import Foundation
import UpdraftCore
import UpdraftStore

/// The DAG the Graph and Run page tests draw, and runs written straight into the store (known
/// states and times, no executor, no clock).
enum RunFixtures {
    /// `start >> prep (clean >> enrich) >> report`, `start >> per_coin (a factory: one task per coin) >> report`,
    /// `start >> check`.
    static let dag = DAG("ui_graph", description: "Graph fixture") { d in
        let start = d.task("start") { _ in ["BTC", "ETH", "SOL"] }
        let prep = d.group("prep") { g in
            let clean = g.task("clean") { _ in }
            let enrich = g.task("enrich") { _ in }
            clean >> enrich
        }
        let coins = d.factory("per_coin", from: start, as: [String].self) { coins, f in
            for coin in coins {
                let fetch = f.task("fetch_\(coin)") { _ in }
                let load = f.task("load_\(coin)") { _ in }
                fetch >> load
            }
        }
        let report = d.task("report") { _ in }
        let check = d.task("check") { _ in }
        start >> prep
        [prep, coins] >> report
        start >> check
    }

    static let origin = Date(timeIntervalSince1970: 1_780_000_000)

    /// A finished, failed run: `check` failed (two tries), `report` upstream-failed, the rest succeeded;
    /// `per_coin` expanded into six tasks (its input stored).
    static func failedRun(
        _ store: any StateStore, runId: String = "manual__1", conf: [String: JSONValue] = [:], note: String? = nil
    ) async throws -> DAGRun {
        let run = DAGRun(
            dagId: dag.id, runId: runId, state: .failed, runType: .manual, triggeredBy: .ui, logicalDate: origin,
            dataInterval: DataInterval(start: origin.addingTimeInterval(-86_400), end: origin), queuedAt: origin,
            startDate: origin.addingTimeInterval(1), endDate: origin.addingTimeInterval(90), conf: conf, backfillId: 7, note: note,
            triggeringUserName: "user")
        var instances: [TaskInstance] = []
        func add(_ id: String, _ state: TaskState, group: String? = nil, kind: String = "task", at offset: Double?, tries: Int = 1) {
            var instance = TaskInstance(runId: runId, dagId: dag.id, taskId: id, group: group, state: state, kind: kind)
            if let offset {
                instance.tryNumber = tries
                instance.startDate = origin.addingTimeInterval(offset)
                instance.endDate = origin.addingTimeInterval(offset + 5)
            }
            instances.append(instance)
        }
        add("start", .success, at: 2)
        add("prep.clean", .success, group: "prep", at: 10)
        add("prep.enrich", .success, group: "prep", at: 20)
        add("per_coin", .success, kind: "factory", at: 8)
        for (i, coin) in ["BTC", "ETH", "SOL"].enumerated() {
            add("per_coin.fetch_\(coin)", .success, group: "per_coin", at: 12 + Double(i))
            add("per_coin.load_\(coin)", .success, group: "per_coin", at: 30 + Double(i))
        }
        add("check", .failed, at: 40, tries: 2)
        add("report", .upstreamFailed, at: nil)
        try await store.createRun(run, instances: instances)
        var batch = StateBatch()
        batch.factoryInputs = [FactoryInput(run: run.key, factoryId: "per_coin", input: Array(#"["BTC","ETH","SOL"]"#.utf8))]
        for instance in instances where instance.tryNumber > 0 {
            for number in 1...instance.tryNumber {
                let start = instance.startDate!.addingTimeInterval(Double(number - instance.tryNumber) * 6)
                batch.tries.append(
                    TaskTry(
                        dagId: dag.id, runId: runId, taskId: instance.taskId, tryNumber: number, state: instance.state,
                        startDate: start, endDate: start.addingTimeInterval(5)))
            }
        }
        try await store.commit(batch)
        return run
    }

    /// A run of `per_coin` with `count` expanded tasks (no other task), all succeeded.
    static func wideRun(_ store: any StateStore, runId: String, count: Int) async throws {
        let run = DAGRun(
            dagId: dag.id, runId: runId, state: .success, runType: .manual, logicalDate: origin.addingTimeInterval(3600),
            dataInterval: .exact(origin), queuedAt: origin, startDate: origin, endDate: origin.addingTimeInterval(600))
        var instances = [TaskInstance(runId: runId, dagId: dag.id, taskId: "per_coin", state: .success, kind: "factory")]
        for i in 0..<count {
            var instance = TaskInstance(
                runId: runId, dagId: dag.id, taskId: "per_coin.load_C\(i)", group: "per_coin", state: .success, tryNumber: 1)
            instance.startDate = origin.addingTimeInterval(Double(i % 500))
            instance.endDate = instance.startDate!.addingTimeInterval(1)
            instances.append(instance)
        }
        try await store.createRun(run, instances: instances)
    }
}
