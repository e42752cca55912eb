import Foundation
import UpdraftWorkers

/// The `updraft-worker-fixture` binary, built next to the test bundle.
enum WorkerFixture {
    static let path: String = {
        let testBinary =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: testBinary).deletingLastPathComponent()
            .appendingPathComponent("updraft-worker-fixture").path
    }()

    static func pool(size: Int, idleTimeout: Duration? = nil) -> WorkerPool {
        WorkerPool(WorkerPoolConfiguration(size: size, executable: path, idleTimeout: idleTimeout))
    }

    static func job(_ command: String, timeout: Duration? = nil, outputPath: String? = nil, outputStart: Int? = nil) -> WorkerJob {
        WorkerJob(payload: Array(command.utf8), timeout: timeout, outputPath: outputPath, outputStart: outputStart)
    }

    /// A job that creates a fresh marker file once it runs in a worker, then sleeps 30 s; the
    /// marker's path comes back with it.
    static func holdJob() -> (job: WorkerJob, marker: String) {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-hold-\(UUID().uuidString)").path
        return (job("hold \(marker)"), marker)
    }

    /// Waits until a `holdJob` is running in a worker (its marker exists), however long that takes.
    static func waitUntilHeld(_ marker: String) async throws {
        while !FileManager.default.fileExists(atPath: marker) { try await Task.sleep(for: .milliseconds(5)) }
        try? FileManager.default.removeItem(atPath: marker)  // best effort: a temporary file
    }

    /// Starts `pool` and holds a worker of it with a `holdJob` until the returned task is
    /// cancelled (it then ends `.cancelled`).
    static func occupy(_ pool: WorkerPool) async throws -> Task<WorkerOutcome, Never> {
        try await pool.start()
        let hold = holdJob()
        let busy = Task { await pool.run(hold.job) }
        try await waitUntilHeld(hold.marker)
        return busy
    }

    /// True while `pid` exists and is not a zombie.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }
}

extension WorkerOutcome {
    var text: String? {
        if case .replied(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    var crash: WorkerCrash? {
        if case .crashed(let crash) = self { return crash }
        return nil
    }
}
