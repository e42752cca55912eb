import Foundation
import Testing
import UpdraftRuntime

/// Try logs live at `<run>/<task>.try-<n>.log`; logs an earlier version wrote in a folder per task
/// are still found.
@Suite struct EngineHomeLogPathTests {
    @Test func aTryLogIsReadFromTheRunFolderOrFromTheEarlierTaskFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-logpath-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let home = EngineHome(root)
        let current = home.logPath(dagId: "etl", runId: "r1", taskId: "g.load", tryNumber: 2)
        #expect(current == root + "/logs/etl/r1/g.load.try-2.log")
        // Neither exists: the current layout is named (an error message says where it looked).
        #expect(home.existingLogPath(dagId: "etl", runId: "r1", taskId: "g.load", tryNumber: 2) == current)
        let earlier = root + "/logs/etl/r1/g.load/try-2.log"
        try FileManager.default.createDirectory(atPath: root + "/logs/etl/r1/g.load", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: earlier, contents: Data("old\n".utf8))
        #expect(home.existingLogPath(dagId: "etl", runId: "r1", taskId: "g.load", tryNumber: 2) == earlier)
        FileManager.default.createFile(atPath: current, contents: Data("new\n".utf8))
        #expect(home.existingLogPath(dagId: "etl", runId: "r1", taskId: "g.load", tryNumber: 2) == current)
    }
}
