import Foundation
import Testing
import UpdraftWorkers

/// A worker gets its pipes and /dev/null, nothing else its parent had open.
@Suite("Inherited descriptors")
struct InheritedDescriptorTests {
    @Test("a descriptor the parent opened without close-on-exec does not reach a worker")
    func aDescriptorWithoutCloseOnExecIsNotInherited() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-leak-\(UUID().uuidString)").path
        let leaked = open(path, O_RDWR | O_CREAT, 0o600)   // no O_CLOEXEC, as a library might open a socket
        try #require(leaked > 4)
        defer { close(leaked); unlink(path) }
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let pid = try #require(await pool.livePIDs.first)
        let folder = "/proc/\(pid)/fd"
        let targets = try FileManager.default.contentsOfDirectory(atPath: folder).compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")
        }
        await pool.shutdown()
        #expect(!targets.isEmpty)
        #expect(!targets.contains(path))
    }
}
