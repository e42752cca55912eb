import Foundation
import Testing

@Suite("Parent death", .timeLimit(.minutes(5)))
struct ParentDeathTests {
    @Test("workers die when the process that spawned them is killed -9")
    func workersDieWithParent() async throws {
        let host = Process()
        host.executableURL = URL(fileURLWithPath: WorkerFixture.path)
        host.arguments = ["host", "3"]
        let output = Pipe()
        host.standardOutput = output
        try host.run()
        let line = try #require(String(data: output.fileHandleForReading.availableDataLine(), encoding: .utf8))
        let workers = line.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(workers.count == 3)
        #expect(workers.allSatisfy(WorkerFixture.isRunning))

        kill(host.processIdentifier, SIGKILL)
        // Waits for the deaths themselves, not for a time: the suite's limit stops a worker that
        // never dies (and polling keeps this test from blocking a cooperative-pool thread).
        while host.isRunning || workers.contains(where: WorkerFixture.isRunning) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!workers.contains(where: WorkerFixture.isRunning))
    }
}

extension FileHandle {
    /// Reads until the first newline (blocking), for a child's first line of output.
    func availableDataLine() -> Data {
        var data = Data()
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = availableData
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        return data
    }
}
