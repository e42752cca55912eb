import Foundation

/// Spawns the `updraft` binary for the engine benchmark.
struct BenchCLI {
    let binary: String

    static func temporaryHome() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("updraft-bench-\(UUID().uuidString)").path
    }

    func spawn(_ arguments: [String], home: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["UPDRAFT_HOME"] = home
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Wall time from spawn to exit, in seconds.
    func time(_ arguments: [String], home: String) throws -> Double {
        let start = Date()
        let process = try spawn(arguments, home: home)
        process.waitUntilExit()
        return Date().timeIntervalSince(start)
    }

    /// Starts a scheduler on an empty home, lets it idle, and reads its memory and CPU.
    func idleScheduler(home: String) throws -> (rss: Double, treeRSS: Double, cpu: Double, seconds: Double) {
        let process = try spawn(["scheduler", "--parallelism", "2"], home: home)
        defer { process.terminate(); process.waitUntilExit() }
        Thread.sleep(forTimeInterval: 2)
        let before = cpuSeconds(process.processIdentifier)
        let idle = 5.0
        Thread.sleep(forTimeInterval: idle)
        let cpu = cpuSeconds(process.processIdentifier) - before
        let pid = process.processIdentifier
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
            .filter { parent(of: $0) == pid }
        let tree = ([pid] + children).map(rssMB).reduce(0, +)
        return (rssMB(pid), tree, cpu, idle)
    }

    func rssMB(_ pid: Int32) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    func parent(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return Int32(text[text.index(after: close)...].split(separator: " ")[1])
    }

    func cpuSeconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
