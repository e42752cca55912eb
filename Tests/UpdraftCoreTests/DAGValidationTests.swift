import Testing
import UpdraftCore

@Suite struct DAGValidationTests {
    @Test func cycleNamesTheTasksOnIt() {
        let dag = DAG("cyclic") { d in
            let a = d.task("a") { _ in }
            let b = d.task("b") { _ in }
            let c = d.task("c") { _ in }
            let start = d.task("start") { _ in }
            start >> a
            chain(a, b, c)
            c >> a
        }
        #expect(dag.problems == [.cycle(["a", "b", "c", "a"])])
        #expect(dag.problems.first?.description == "cycle: a >> b >> c >> a")
    }

    @Test func duplicateIdAndBadIdAreReported() {
        let dag = DAG("dupes") { d in
            d.task("load") { _ in }
            d.task("load") { _ in }
            d.task("bad.id") { _ in }
        }
        #expect(dag.problems.contains(.duplicateId("load")))
        #expect(dag.problems.contains(.badId("bad.id")))
    }

    /// Cycles are found by position: a self-loop, a cycle behind a duplicate id, none in a wide graph.
    @Test func cyclesAreFoundByPositionAndDuplicatesOnceEach() {
        let loop = TaskGraph(nodes: [TaskNode(id: "a", upstream: ["a"], kind: .task({ _ in nil }))])
        #expect(loop.validate(externalIds: []) == [.cycle(["a", "a"])])
        let nodes = [
            TaskNode(id: "a", upstream: ["c"], kind: .task({ _ in nil })),
            TaskNode(id: "b", upstream: ["a"], kind: .task({ _ in nil })),
            TaskNode(id: "b", kind: .task({ _ in nil })),
            TaskNode(id: "c", upstream: ["b"], kind: .task({ _ in nil })),
        ]
        #expect(TaskGraph(nodes: nodes).validate(externalIds: []) == [.duplicateId("b"), .cycle(["a", "b", "c", "a"])])
        let wide = TaskGraph(nodes: (0..<1000).map { TaskNode(id: "t\($0)", kind: .task({ _ in nil })) })
        #expect(wide.validate(externalIds: []).isEmpty)
    }

    @Test func unknownDependencyNamesBoth() {
        let graph = TaskGraph(nodes: [TaskNode(id: "load", upstream: ["extract"], kind: .task({ _ in nil }))])
        let problems = graph.validate(externalIds: [])
        #expect(problems == [.unknownDependency(task: "load", dependency: "extract")])
        #expect(problems[0].description == "task 'load' depends on unknown task 'extract'")
    }

    @Test func badCronIsAProblem() {
        let dag = DAG("bad_cron", schedule: "61 * * * *") { d in d.task("t") { _ in } }
        #expect(dag.problems.count == 1)
        guard case .badSchedule(let message) = dag.problems.first else { Issue.record("expected a schedule problem"); return }
        #expect(message.contains("bad_cron"))
        #expect(message.contains("61"))
    }

    @Test func groupsPrefixIdsAndWireRootsAndLeaves() {
        let dag = DAG("grouped") { d in
            let start = d.task("start") { _ in }
            let group = d.group("prices") { g in
                let fetch = g.task("fetch") { _ in }
                let check = g.task("check") { _ in }
                let store = g.task("store") { _ in }
                fetch >> [check, store]
            }
            let end = d.task("end") { _ in }
            start >> group
            group >> end
        }
        #expect(dag.problems.isEmpty)
        #expect(dag.graph["prices.fetch"]?.upstream == ["start"])
        #expect(Set(dag.graph["end"]?.upstream ?? []) == ["prices.check", "prices.store"])
        #expect(dag.graph["prices.check"]?.group == "prices")
        #expect(dag.graph.groups == ["prices"])
    }

    @Test func confIsCheckedAgainstParams() throws {
        let dag = DAG("params", params: [.integer("n", default: 5), .string("mode", default: nil)]) { d in d.task("t") { _ in } }
        #expect(try dag.resolveParams([:]) == ["n": 5])
        #expect(try dag.resolveParams(["mode": "full"]) == ["n": 5, "mode": "full"])
        #expect(throws: ConfError(message: "DAG 'params': conf key 'n' must be integer, got number 2.5")) {
            try dag.resolveParams(["n": 2.5])
        }
        #expect(throws: ConfError(message: "DAG 'params': unknown conf key 'x' (params: mode, n)")) {
            try dag.resolveParams(["x": 1])
        }
    }

    @Test func factoryExpansionPrefixesIdsAndEnforcesItsCap() throws {
        let factory = TaskFactory(source: nil, fanOutCap: 3) { _, params, builder in
            for index in 0..<(params["n"]?.intValue ?? 0) { builder.task("t\(index)") { _ in } }
        }
        let nodes = try factory.expand(factoryId: "fan", input: [], params: ["n": 3], defaults: TaskOptions())
        #expect(nodes.map(\.id) == ["fan.t0", "fan.t1", "fan.t2"])
        #expect(nodes.allSatisfy { $0.factory == "fan" && $0.group == "fan" })
        #expect(throws: GraphError.fanOutCapExceeded("fan", 4, 3)) {
            try factory.expand(factoryId: "fan", input: [], params: ["n": 4], defaults: TaskOptions())
        }
    }

    @Test func defaultFanOutCapAllowsFiftyThousand() {
        #expect(TaskFactory.defaultFanOutCap >= 50_000)
    }
}
