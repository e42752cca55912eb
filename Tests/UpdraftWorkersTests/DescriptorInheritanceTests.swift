import Foundation
import Testing
import UpdraftWorkers

/// A worker lives as long as its pool, so any descriptor of the parent it inherits stays open
/// that long. The one that hung the test suite: another thread's `Pipe()` (Foundation pipes are
/// not close-on-exec) for a child's output; with its write end held by a worker, the reader
/// never saw end-of-file, and a cooperative-pool thread blocked in `readDataToEndOfFile` stayed
/// blocked until the pool shut down, which needed that same thread.
@Suite("Worker descriptors")
struct DescriptorInheritanceTests {
    @Test("a worker holds no descriptor of its parent but its own pipes")
    func workersInheritNothingElse() async throws {
        let pipe = Pipe()  // open while the worker is spawned, as another test's would be
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let pid = try #require(await pool.livePIDs.first)
        let ours = try #require(Self.target(of: "/proc/self/fd/\(pipe.fileHandleForWriting.fileDescriptor)"))
        let worker = Self.descriptors(of: "\(pid)")
        #expect(!worker.values.contains(ours), "the worker holds the write end of the parent's pipe")
        // Beyond stdin, stdout, stderr and its two pipes (0…4), nothing the worker holds is a
        // pipe or socket of the parent's: its own runtime's descriptors only.
        let parent = Set(Self.descriptors(of: "self").values)
        let shared = worker.filter { $0.key >= 5 && parent.contains($0.value) }
        #expect(shared.isEmpty, "the worker holds the parent's \(shared.sorted { $0.key < $1.key })")
        try pipe.fileHandleForWriting.close()
        await pool.shutdown()
    }

    /// The pipes and sockets `process` (a pid or `self`) has open, by descriptor.
    static func descriptors(of process: String) -> [Int32: String] {
        let folder = "/proc/\(process)/fd"
        var result: [Int32: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            guard let fd = Int32(name), let target = target(of: folder + "/" + name),
                target.hasPrefix("pipe:") || target.hasPrefix("socket:")
            else { continue }
            result[fd] = target
        }
        return result
    }

    static func target(of link: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: link)
    }
}
