import Foundation
import Synchronization
import Testing
import UpdraftCore

@testable import UpdraftRuntime

/// A worker builds a factory's group once: the build keeps its graph for the group's tries.
@Suite(.serialized) struct ExpansionCacheTests {
    /// How many times the factory below ran its build code (the tests run one at a time).
    static let builds = Atomic<Int>(0)

    static let dag = DAG("cached_fan") { d in
        d.factory("fan") { params, g in
            ExpansionCacheTests.builds.add(1, ordering: .relaxed)
            for index in 0..<(params["n"]?.intValue ?? 0) { g.task("t\(index)") { _ in } }
        }
    }

    static func request(_ taskId: String, logs: String, run: String = "r1", factoryInputs: [String: String] = [:]) -> TaskRequest {
        TaskRequest(
            dagId: "cached_fan", runId: run, taskId: taskId, tryNumber: 1, logicalDate: Date(timeIntervalSince1970: 0),
            dataInterval: DataInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 0)),
            params: ["n": 3], factoryInputs: factoryInputs, logPath: "\(logs)/\(taskId).log")
    }

    @Test func theTriesOfAGroupFindTheGraphItsBuildMade() async throws {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("expansion-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: logs) }
        let runner = TaskRunner(registry: try DAGRegistry([Self.dag]))
        let before = Self.builds.load(ordering: .relaxed)
        var build = Self.request("fan", logs: logs)
        build.buildInput = #"{"n":3}"#
        #expect(await runner.run(build).outcome == .success)
        #expect(Self.builds.load(ordering: .relaxed) == before + 1)
        // The owner's requests carry the stored input, byte for byte the build's.
        for index in 0..<3 {
            let reply = await runner.run(Self.request("fan.t\(index)", logs: logs, factoryInputs: ["fan": #"{"n":3}"#]))
            #expect(reply.outcome == .success, "\(reply.error ?? "")")
        }
        #expect(Self.builds.load(ordering: .relaxed) == before + 1, "the group's tries rebuilt the group")

        // Another worker (a new runner) has no build to reuse: it rebuilds once for all the tries.
        let other = TaskRunner(registry: try DAGRegistry([Self.dag]))
        for index in 0..<3 {
            #expect(await other.run(Self.request("fan.t\(index)", logs: logs, factoryInputs: ["fan": #"{"n":3}"#])).outcome == .success)
        }
        #expect(Self.builds.load(ordering: .relaxed) == before + 2)
        // A task the stored input does not build is named.
        let missing = await other.run(Self.request("fan.t7", logs: logs, factoryInputs: ["fan": #"{"n":3}"#]))
        #expect(missing.outcome == .failed && missing.error?.contains("fan.t7") == true)
    }

    /// The cache keeps the graphs used last: a group whose tries still run survives the builds
    /// of eight other runs' groups in between.
    @Test func aGraphInUseOutlivesNewerBuilds() async throws {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("expansion-lru-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: logs) }
        let runner = TaskRunner(registry: try DAGRegistry([Self.dag]))
        let before = Self.builds.load(ordering: .relaxed)
        for run in 1...9 {
            var build = Self.request("fan", logs: logs, run: "r\(run)")
            build.buildInput = #"{"n":3}"#
            #expect(await runner.run(build).outcome == .success)
            let reply = await runner.run(Self.request("fan.t0", logs: logs, run: "r1", factoryInputs: ["fan": #"{"n":3}"#]))
            #expect(reply.outcome == .success)
        }
        #expect(Self.builds.load(ordering: .relaxed) == before + 9, "run r1's group was built again")
    }
}
