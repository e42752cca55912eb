import Foundation
import Testing
import UpdraftRuntime
import UpdraftTesting

/// Typed task outputs: passing one to a task makes the edge and delivers the value with its type.
@Suite struct TypedDataflowTests {
    struct Reading: Codable, Sendable, Equatable { var symbol: String; var price: Double }

    @Test func anOutputPassedToATaskIsAnEdgeAndItsTypedValue() async throws {
        let dag = DAG("flow") { d in
            let extract = d.task("extract") { _ in [1, 2, 3] }
            let double = d.task("double", extract) { _, rows in rows.map { $0 * 2 } }
            d.task("check", extract, double) { _, rows, doubled in
                guard doubled == rows.map({ $0 * 2 }) else { throw TaskFailure("got \(doubled)") }
            }
        }
        #expect(dag.problems.isEmpty)
        #expect(dag.graph["double"]?.upstream == ["extract"])
        #expect(Set(dag.graph["check"]?.upstream ?? []) == ["extract", "double"])
        let result = try await DAGTestHarness(dags: [dag]).run("flow")
        #expect(result.state == .success)
        #expect(result.instances["check"]?.state == .success)
    }

    @Test func inputsOfDifferentTypesArriveInOrder() async throws {
        let dag = DAG("mixed") { d in
            let readings = d.task("readings") { _ in [Reading(symbol: "BTCUSDT", price: 42_000.5)] }
            let limit = d.task("limit") { _ in 1 }
            let name = d.task("name") { _ in "desk" }
            let summary = d.task("summary", readings, limit, name) { _, readings, limit, name in
                "\(name): \(readings.prefix(limit).map(\.symbol).joined())"
            }
            d.task("expect", summary) { _, text in
                guard text == "desk: BTCUSDT" else { throw TaskFailure("summary was '\(text)'") }
            }
        }
        let result = try await DAGTestHarness(dags: [dag]).run("mixed")
        #expect(result.state == .success)
        #expect(result.instances["expect"]?.state == .success)
    }

    @Test func aFactoryTakesItsInputTypeFromTheOutput() async throws {
        let dag = DAG("fanout") { d in
            let symbols = d.task("symbols") { _ in ["BTCUSDT", "ETHUSDT"] }
            d.factory("per_symbol", from: symbols) { symbols, g in
                for symbol in symbols { g.task("load_\(symbol)") { _ in } }
            }
        }
        let result = try await DAGTestHarness(dags: [dag]).run("fanout")
        #expect(result.state == .success)
        #expect(result.instances["per_symbol.load_BTCUSDT"]?.state == .success)
        #expect(result.instances["per_symbol.load_ETHUSDT"]?.state == .success)
    }

    @Test func aMissingInputFailsTheTryInsteadOfBecomingEmpty() async throws {
        let dag = DAG("missing") { d in
            let source = d.task("source") { ctx -> [Int] in try ctx.skip("nothing today") }
            d.task("sum", source, triggerRule: .allDone) { _, rows in rows.reduce(0, +) }
        }
        let result = try await DAGTestHarness(dags: [dag]).run("missing")
        #expect(result.instances["source"]?.state == .skipped)
        #expect(result.instances["sum"]?.state == .failed)
        #expect(result.instances["sum"]?.error?.contains("needs the output of 'source'") == true)
    }

    @Test func typedOutputsMixWithPlainTasksInEdgeLists() async throws {
        let dag = DAG("wiring") { d in
            let value = d.task("value") { _ in 7 }
            let plain = d.task("plain") { _ in }
            let last = d.task("last") { _ in }
            [value, plain] >> last
            chain(value, [plain], last)
        }
        #expect(dag.problems.isEmpty)
        #expect(Set(dag.graph["last"]?.upstream ?? []) == ["value", "plain"])
        #expect(dag.graph["plain"]?.upstream == ["value"])
    }
}
