import Foundation
import Testing
import UpdraftCore

/// Table-driven: each case is a DAG, stored instances, and a list of (event, expected actions)
/// where writes are left out of the comparison (states are checked separately).
@Suite struct RunStateMachineTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    struct Step {
        var event: RunEvent
        var expected: [String]
        var at: TimeInterval = 0
    }

    struct Case: CustomStringConvertible {
        var description: String
        var dag: DAG
        var instances: [TaskInstance] = []
        var steps: [Step]
        var finalStates: [String: TaskState]
        var runState: RunState
    }

    static func summary(_ action: RunAction) -> String? {
        switch action {
        case .write: nil
        case .recordTry(let entry): "try(\(entry.taskId)#\(entry.tryNumber) \(entry.state.rawValue))"
        case .setRunState(let state): "run(\(state.rawValue))"
        case .schedule(let id): "schedule(\(id))"
        case .startTry(let id, let number): "start(\(id)#\(number))"
        case .resumeTry(let id, let number): "resume(\(id)#\(number))"
        case .retryAt(let id, let date): "retryAt(\(id)+\(Int(date.timeIntervalSince(t0))))"
        case .expandFactory(let id): "expand(\(id))"
        case .cancelTry(let id): "cancel(\(id))"
        case .callback(let info): "callback(\(info.taskId ?? "-") \(info.state.rawValue))"
        case .finishRun(let state): "finish(\(state.rawValue))"
        }
    }

    static func twoTasks(retry: RetryPolicy = .none) -> DAG {
        DAG("two") { d in
            let a = d.task("a", options: TaskOptions(retry: retry)) { _ in }
            let b = d.task("b") { _ in }
            a >> b
        }
    }

    static let cases: [Case] = [
        Case(
            description: "a chain succeeds", dag: twoTasks(),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#1)"]),
                Step(
                    event: .tryFinished("a", .success(follow: nil)),
                    expected: ["try(a#1 success)", "callback(a success)", "schedule(b)"]),
                Step(event: .slotGranted("b"), expected: ["start(b#1)"]),
                Step(
                    event: .tryFinished("b", .success(follow: nil)),
                    expected: ["try(b#1 success)", "callback(b success)", "run(success)", "finish(success)"]),
            ], finalStates: ["a": .success, "b": .success], runState: .success),

        Case(
            description: "a failed try is retried after the delay",
            dag: twoTasks(retry: RetryPolicy(retries: 1, initialDelay: .seconds(10))),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#1)"]),
                Step(
                    event: .tryFinished("a", .failed(errorType: "IOError", message: "boom", retryable: true)),
                    expected: ["try(a#1 failed)", "retryAt(a+10)", "callback(a up_for_retry)"]),
                Step(event: .retryDue("a"), expected: ["schedule(a)"], at: 10),
                Step(event: .slotGranted("a"), expected: ["start(a#2)"], at: 10),
                Step(
                    event: .tryFinished("a", .failed(errorType: "IOError", message: "boom", retryable: true)),
                    expected: ["try(a#2 failed)", "callback(a failed)", "run(failed)", "finish(failed)"], at: 11),
            ], finalStates: ["a": .failed, "b": .upstreamFailed], runState: .failed),

        Case(
            description: "a non-retryable error fails at once", dag: twoTasks(retry: RetryPolicy(retries: 3)),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#1)"]),
                Step(
                    event: .tryFinished("a", .failed(errorType: "TaskFailure", message: "bad input", retryable: false)),
                    expected: ["try(a#1 failed)", "callback(a failed)", "run(failed)", "finish(failed)"]),
            ], finalStates: ["a": .failed, "b": .upstreamFailed], runState: .failed),

        Case(
            description: "an interrupted try runs again without using a retry", dag: twoTasks(),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#1)"]),
                Step(event: .tryFinished("a", .interrupted), expected: ["try(a#1 interrupted)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#2)"]),
                Step(event: .tryFinished("a", .skipped("nothing new")), expected: ["try(a#2 skipped)", "run(success)", "finish(success)"]),
            ], finalStates: ["a": .skipped, "b": .skipped], runState: .success),

        Case(
            description: "resuming after the owner died records the cut-off try", dag: twoTasks(),
            instances: [
                TaskInstance(runId: "r", dagId: "two", taskId: "a", state: .running, tryNumber: 1, startDate: t0),
                TaskInstance(runId: "r", dagId: "two", taskId: "b"),
            ],
            steps: [
                Step(event: .start, expected: ["run(running)", "try(a#1 interrupted)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#2)"]),
            ], finalStates: ["a": .running, "b": .none], runState: .running),

        Case(
            description: "resuming after the owner died records the try that waited for a worker",
            dag: twoTasks(),
            instances: [
                TaskInstance(runId: "r", dagId: "two", taskId: "a", state: .queued, tryNumber: 1),
                TaskInstance(runId: "r", dagId: "two", taskId: "b"),
            ],
            steps: [
                Step(event: .start, expected: ["run(running)", "try(a#1 interrupted)", "schedule(a)"]),
                Step(event: .slotGranted("a", queued: true), expected: ["start(a#2)"]),
            ], finalStates: ["a": .queued, "b": .none], runState: .running),

        Case(
            description: "a queued try runs when a worker takes it, and ends from there", dag: twoTasks(),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a", queued: true), expected: ["start(a#1)"]),
                Step(event: .tryStarted("a", tryNumber: 1), expected: [], at: 1),
                Step(
                    event: .tryFinished("a", .success(follow: nil)),
                    expected: ["try(a#1 success)", "callback(a success)", "schedule(b)"], at: 3),
            ], finalStates: ["a": .success, "b": .scheduled], runState: .running),

        Case(
            description: "cancelling stops queued tries too", dag: twoTasks(),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a", queued: true), expected: ["start(a#1)"]),
                Step(event: .cancelled, expected: ["cancel(a)", "run(failed)", "finish(failed)"]),
            ], finalStates: ["a": .skipped, "b": .skipped], runState: .failed),

        Case(
            description: "failing fast fails the running try and skips the queued one",
            dag: DAG("wide", failFast: true) { d in
                d.task("a") { _ in }
                d.task("b") { _ in }
                d.task("c") { _ in }
            },
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)", "schedule(b)", "schedule(c)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#1)"]),
                Step(event: .slotGranted("b"), expected: ["start(b#1)"]),
                Step(event: .slotGranted("c", queued: true), expected: ["start(c#1)"]),
                Step(
                    event: .tryFinished("a", .failed(errorType: nil, message: "boom", retryable: false)),
                    expected: [
                        "try(a#1 failed)", "callback(a failed)", "cancel(b)", "try(b#1 failed)", "cancel(c)", "run(failed)",
                        "finish(failed)",
                    ]),
            ], finalStates: ["a": .failed, "b": .failed, "c": .skipped], runState: .failed),

        Case(
            description: "a try cancelled while queued fails without having run", dag: twoTasks(),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a", queued: true), expected: ["start(a#1)"]),
                Step(
                    event: .tryFinished("a", .failed(errorType: "CancellationError", message: "cancelled", retryable: false)),
                    expected: ["try(a#1 failed)", "callback(a failed)", "run(failed)", "finish(failed)"]),
            ], finalStates: ["a": .failed, "b": .upstreamFailed], runState: .failed),

        Case(
            description: "a succeeded task is never scheduled again on resume", dag: twoTasks(),
            instances: [
                TaskInstance(runId: "r", dagId: "two", taskId: "a", state: .success, tryNumber: 1),
                TaskInstance(runId: "r", dagId: "two", taskId: "b", state: .running, tryNumber: 1),
            ],
            steps: [
                Step(event: .start, expected: ["run(running)", "try(b#1 interrupted)", "schedule(b)"])
            ], finalStates: ["a": .success, "b": .scheduled], runState: .running),

        Case(
            description: "cancelling stops running tries and skips the rest", dag: twoTasks(),
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(a)"]),
                Step(event: .slotGranted("a"), expected: ["start(a#1)"]),
                Step(event: .cancelled, expected: ["cancel(a)", "run(failed)", "finish(failed)"]),
                Step(event: .tryFinished("a", .success(follow: nil)), expected: []),
            ], finalStates: ["a": .skipped, "b": .skipped], runState: .failed),

        Case(
            description: "a branch skips the path not taken",
            dag: DAG("branch") { d in
                let choose = d.branch("choose") { _ in [] }
                let left = d.task("left") { _ in }
                let right = d.task("right") { _ in }
                choose >> [left, right]
            },
            steps: [
                Step(event: .start, expected: ["run(running)", "schedule(choose)"]),
                Step(event: .slotGranted("choose"), expected: ["start(choose#1)"]),
                Step(
                    event: .tryFinished("choose", .success(follow: ["right"])),
                    expected: ["try(choose#1 success)", "callback(choose success)", "schedule(right)"]),
            ], finalStates: ["left": .skipped, "right": .scheduled], runState: .running),

        Case(
            description: "a factory expands, takes no slot, and rolls its children up",
            dag: DAG("fan") { d in
                let fan = d.factory("fan") { _, g in
                    g.task("x") { _ in }; g.task("y") { _ in }
                }
                let after = d.task("after") { _ in }
                fan >> after
            },
            steps: [
                Step(event: .start, expected: ["run(running)", "expand(fan)"]),
                Step(
                    event: .factoryExpanded(
                        "fan",
                        [
                            TaskNode(id: "fan.x", kind: .task({ _ in nil }), group: "fan", factory: "fan"),
                            TaskNode(id: "fan.y", kind: .task({ _ in nil }), group: "fan", factory: "fan"),
                        ]), expected: ["schedule(fan.x)", "schedule(fan.y)"]),
                Step(event: .slotGranted("fan.x"), expected: ["start(fan.x#1)"]),
                Step(event: .slotGranted("fan.y"), expected: ["start(fan.y#1)"]),
                Step(event: .tryFinished("fan.x", .success(follow: nil)), expected: ["try(fan.x#1 success)", "callback(fan.x success)"]),
                Step(
                    event: .tryFinished("fan.y", .failed(errorType: nil, message: "x", retryable: true)),
                    expected: ["try(fan.y#1 failed)", "callback(fan.y failed)", "run(failed)", "finish(failed)"]),
            ], finalStates: ["fan": .failed, "fan.x": .success, "fan.y": .failed, "after": .upstreamFailed], runState: .failed),

        Case(
            description: "a factory that builds nothing succeeds",
            dag: DAG("empty") { d in
                let fan = d.factory("fan") { _, _ in }
                let after = d.task("after") { _ in }
                fan >> after
            },
            steps: [
                Step(event: .start, expected: ["run(running)", "expand(fan)"]),
                Step(event: .factoryExpanded("fan", []), expected: ["schedule(after)"]),
            ], finalStates: ["fan": .success, "after": .scheduled], runState: .running),
    ]

    /// The writes of one event, by task id.
    static func writes(_ actions: [RunAction]) -> [String: [TaskState]] {
        var result: [String: [TaskState]] = [:]
        for case .write(let instance) in actions { result[instance.taskId, default: []].append(instance.state) }
        return result
    }

    /// A new run's rows, a factory's new rows and the rows a recovery finds missing are each
    /// written once, in the state the event leaves them in (a 10,000-task expansion hands the
    /// store 10,000 writes, not 20,000 for it to deduplicate).
    @Test func eachNewInstanceIsWrittenOnceInItsFinalState() {
        let dag = DAG("fan") { d in
            let first = d.task("first") { _ in }
            let fan = d.factory("fan") { _, g in
                let x = g.task("x") { _ in }
                let y = g.task("y") { _ in }
                x >> y
            }
            first >> fan
        }
        var machine = RunStateMachine(dagId: "fan", runId: "r", graph: dag.graph, instances: [])
        #expect(Self.writes(machine.handle(.start, now: Self.t0)) == ["first": [.scheduled], "fan": [.none]])
        _ = machine.handle(.slotGranted("first"), now: Self.t0)
        #expect(
            Self.writes(machine.handle(.tryFinished("first", .success(follow: nil)), now: Self.t0)) == [
                "first": [.success], "fan": [.running],
            ])
        let expansion = [
            TaskNode(id: "fan.x", kind: .task({ _ in nil }), group: "fan", factory: "fan"),
            TaskNode(id: "fan.y", upstream: ["fan.x"], kind: .task({ _ in nil }), group: "fan", factory: "fan"),
        ]
        #expect(Self.writes(machine.handle(.factoryExpanded("fan", expansion), now: Self.t0)) == ["fan.x": [.scheduled], "fan.y": [.none]])

        // The owner died after committing the expansion's factory state but only fan.x's row:
        // recovery re-runs fan.x and creates fan.y, each written once.
        var graph = dag.graph
        graph.append(expansion)
        let stored = [
            TaskInstance(runId: "r", dagId: "fan", taskId: "first", state: .success, tryNumber: 1),
            TaskInstance(runId: "r", dagId: "fan", taskId: "fan", state: .running, tryNumber: 1),
            TaskInstance(runId: "r", dagId: "fan", taskId: "fan.x", group: "fan", state: .running, tryNumber: 1),
        ]
        var resumed = RunStateMachine(dagId: "fan", runId: "r", graph: graph, instances: stored)
        #expect(Self.writes(resumed.handle(.start, now: Self.t0)) == ["fan.x": [.scheduled], "fan.y": [.none]])
        #expect(resumed.instance("fan.y")?.state == TaskState.none)
    }

    @Test(arguments: cases)
    func transitions(_ testCase: Case) {
        var machine = RunStateMachine(
            dagId: testCase.dag.id, runId: "r", graph: testCase.dag.graph,
            instances: testCase.instances)
        machine.failFast = testCase.dag.failFast
        for (index, step) in testCase.steps.enumerated() {
            let actions = machine.handle(step.event, now: Self.t0.addingTimeInterval(step.at))
            #expect(actions.compactMap(Self.summary) == step.expected, "step \(index) of '\(testCase.description)'")
        }
        for (id, state) in testCase.finalStates {
            #expect(machine.instance(id)?.state == state, "\(id) in '\(testCase.description)'")
        }
        #expect(machine.runState == testCase.runState)
    }

    @Test func everyTransitionIsWrittenBeforeTheActionItEnables() {
        var machine = RunStateMachine(dagId: "two", runId: "r", graph: Self.twoTasks().graph, instances: [])
        _ = machine.handle(.start, now: Self.t0)
        let actions = machine.handle(.slotGranted("a"), now: Self.t0)
        guard case .write(let instance) = actions.first, case .startTry = actions.last else {
            Issue.record("expected a write before the start: \(actions)"); return
        }
        #expect(instance.state == .running && instance.tryNumber == 1)
    }

    @Test func aQueuedTryHasNoStartDateUntilAWorkerTakesIt() {
        var machine = RunStateMachine(dagId: "two", runId: "r", graph: Self.twoTasks().graph, instances: [])
        _ = machine.handle(.start, now: Self.t0)
        let granted = machine.handle(.slotGranted("a", queued: true), now: Self.t0)
        guard case .write(let queued) = granted.first, case .startTry = granted.last else {
            Issue.record("expected a write before the start: \(granted)"); return
        }
        #expect(queued.state == .queued && queued.tryNumber == 1 && queued.startDate == nil)
        #expect(machine.handle(.tryStarted("a", tryNumber: 2), now: Self.t0).isEmpty, "another try's start")
        #expect(machine.instance("a")?.state == .queued)
        let taken = Self.t0.addingTimeInterval(5)
        #expect(machine.handle(.tryStarted("a", tryNumber: 1), now: taken) == [.write(machine.instance("a")!)])
        #expect(machine.instance("a")?.state == .running && machine.instance("a")?.startDate == taken)
        let finished = machine.handle(.tryFinished("a", .success(follow: nil)), now: taken.addingTimeInterval(1))
        let history = finished.compactMap { action -> TaskTry? in if case .recordTry(let t) = action { t } else { nil } }
        #expect(history.map(\.startDate) == [taken])
    }

    @Test func aTryRecordedRunningThatWaitedGetsItsStartDateWhenAWorkerTakesIt() {
        var machine = RunStateMachine(dagId: "two", runId: "r", graph: Self.twoTasks().graph, instances: [])
        _ = machine.handle(.start, now: Self.t0)
        _ = machine.handle(.slotGranted("a"), now: Self.t0)
        let taken = Self.t0.addingTimeInterval(2)
        #expect(machine.handle(.tryStarted("a", tryNumber: 1), now: taken) == [.write(machine.instance("a")!)])
        #expect(machine.instance("a")?.state == .running && machine.instance("a")?.startDate == taken)
        _ = machine.handle(.tryFinished("a", .success(follow: nil)), now: taken)
        #expect(machine.handle(.tryStarted("a", tryNumber: 1), now: taken.addingTimeInterval(1)).isEmpty, "an ended try")
    }

    @Test func aQueuedTryCutOffByAShutdownIsNoTry() {
        var machine = RunStateMachine(dagId: "two", runId: "r", graph: Self.twoTasks().graph, instances: [])
        _ = machine.handle(.start, now: Self.t0)
        _ = machine.handle(.slotGranted("a", queued: true), now: Self.t0)
        let actions = machine.handle(.tryFinished("a", .interrupted), now: Self.t0)
        #expect(actions.compactMap(Self.summary) == ["schedule(a)"])
        #expect(machine.instance("a")?.state == .scheduled && machine.instance("a")?.tryNumber == 0)
        #expect(machine.handle(.slotGranted("a"), now: Self.t0).compactMap(Self.summary) == ["start(a#1)"])
    }

    @Test func interruptedTriesDoNotCountAsFailures() {
        var machine = RunStateMachine(
            dagId: "two", runId: "r", graph: Self.twoTasks(retry: RetryPolicy(retries: 1)).graph,
            instances: [])
        _ = machine.handle(.start, now: Self.t0)
        _ = machine.handle(.slotGranted("a"), now: Self.t0)
        _ = machine.handle(.tryFinished("a", .interrupted), now: Self.t0)
        #expect(machine.instance("a")?.failedTries == 0)
        #expect(machine.instance("a")?.tryNumber == 1)
    }
}
