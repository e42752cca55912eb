import Foundation
import Testing
import UpdraftRuntime

@testable import UpdraftCLI

/// The live progress line of `dags trigger --wait`, `runs resume` and `backfill create --wait`.
@Suite struct ProgressLineTests {
    func instance(_ id: String, _ state: TaskState, group: String? = nil, kind: String = "task") -> TaskInstance {
        TaskInstance(runId: "r", dagId: "d", taskId: id, group: group, state: state, kind: kind)
    }

    @Test func countsTasksNotFactoriesAndNamesTheBusiestGroup() {
        let instances = [
            instance("fan", .running, kind: "factory"),
            instance("fan.a", .success, group: "fan"), instance("fan.b", .running, group: "fan"),
            instance("fan.c", .scheduled, group: "fan"), instance("other.x", .running, group: "other"),
            instance("last", .none),
        ]
        let line = ProgressLine(label: "d r", instances: instances, elapsed: 2)
        #expect(line.done == 1)
        #expect(line.total == 5)
        #expect(line.group == "fan")
        #expect(line.text == "d r: 1/5 tasks · fan · 1 tasks/s · 2.0 s")
    }

    @Test func theRateIsTasksDonePerSecond() {
        let instances = (0..<3000).map { instance("t\($0)", $0 < 2000 ? .success : .running) }
        let line = ProgressLine(label: "x", instances: instances, elapsed: 0.5)
        #expect(line.text == "x: 2,000/3,000 tasks · 4,000 tasks/s · 0.5 s")
    }

    @Test func onATerminalTheLineRewritesItselfAndIsClearedAtTheEnd() throws {
        let pipe = Pipe()
        let display = ProgressDisplay(descriptor: pipe.fileHandleForWriting.fileDescriptor, isTerminal: true)
        display.show("1/2 tasks")
        display.show("2/2 tasks")
        display.finish()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text == "\r1/2 tasks\u{1B}[K\r2/2 tasks\u{1B}[K\r\u{1B}[K")
    }

    @Test func pipedNothingIsShown() async throws {
        let pipe = Pipe()
        let display = ProgressDisplay(descriptor: pipe.fileHandleForWriting.fileDescriptor, isTerminal: false)
        let value = try await display.following(line: { "never" }) { 42 }
        display.show("never")
        try pipe.fileHandleForWriting.close()
        #expect(value == 42)
        #expect(pipe.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test func theBinaryPipedPrintsNoProgress() throws {
        let result = try BinaryHarness().run(["dags", "trigger", "bench_fanout", "--conf", #"{"n": 50}"#, "--wait"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("tasks/s"))
    }
}
