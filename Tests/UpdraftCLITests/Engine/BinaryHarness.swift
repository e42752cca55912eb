import Foundation
import Synchronization
import UpdraftStore

/// Runs the built `updraft` binary with a temporary home.
struct BinaryHarness {
    let home: String
    let binary: String

    /// `product`: `updraft`, or `updraft-example` (the engine on its own).
    init(product: String = "updraft") throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        binary = try BinaryHarness.locate(product)
    }

    /// `.build/<config>/<product>`: next to the test bundle, else under the package's `.build/debug`.
    static func locate(_ product: String = "updraft") throws -> String {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent(product).path)
                folder = folder.deletingLastPathComponent()
            }
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/\(product)").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BinaryHarnessError(message: "no \(product) binary among \(candidates)")
        }
        return found
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts the binary; the caller waits for or signals it. `environment` is added last.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["UPDRAFT_HOME"] = home
        // A scheduler started here creates runs of the crypto DAGs too: keep their traffic on
        // this machine (a closed loopback port), never on the real exchanges.
        for key in ["COINGECKO", "BINANCE", "ARCHIVE", "ARCHIVE_LISTING"] {
            environment["UPDRAFT_ENDPOINTS_\(key)"] = "http://127.0.0.1:9"
        }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs to the end and returns the exit status and output.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, environment: environment)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func store() throws -> SQLiteStateStore { try SQLiteStateStore(path: home + "/updraft.db") }

    /// The processes whose parent is `pid` (from `/proc/*/stat`).
    static func children(of pid: Int32) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> Int32? in
            guard let child = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }  // gone meanwhile: not a child
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }
    }

    /// Sends `signal` to `process` as soon as `condition` holds, polling every 5 ms on a thread
    /// of its own (so a busy cooperative pool cannot delay it), and waits for the process to
    /// exit. False when the process exited before the condition held.
    static func signal(_ process: Process, _ signal: Int32, when condition: @escaping @Sendable () -> Bool) -> Bool {
        let sent = Mutex(false)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while process.isRunning {
                if condition() {
                    kill(process.processIdentifier, signal)
                    sent.withLock { $0 = true }
                    break
                }
                usleep(5_000)
            }
            done.signal()
        }
        done.wait()
        process.waitUntilExit()
        return sent.withLock { $0 }
    }

    /// Waits until `condition` holds (polling every 20 ms); false as soon as it no longer can,
    /// because `process`, the one doing the work, has exited. No deadline: how long the work
    /// takes depends on the machine (the suites' time limits stop a real hang).
    static func waitUntil(while process: Process, _ condition: () async throws -> Bool) async throws -> Bool {
        while try await !condition() {
            guard process.isRunning else { return try await condition() }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

struct BinaryHarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
