import Foundation

/// A command the benchmark runs to its end: posix_spawn, its standard output read to the end,
/// then `wait4`.
///
/// Not `Process`: its `waitUntilExit` polls every 50 ms, which added 0–50 ms to every command
/// timed through it (a 10 ms command measured 51 ms), and Foundation reaps its own children, so
/// only it sees their resource usage.
struct ChildProcess {
    /// What the command printed, its wall time from spawn to exit, and its peak RSS in MB.
    struct Outcome {
        var output: String
        var seconds: Double
        var peakRSS: Double
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` with `arguments` and exactly `environment`; `input` goes to its standard
    /// input (closed after it), its standard error to /dev/null. Throws unless it exits with 0.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil,
        captureOutput: Bool = true
    ) throws -> Outcome {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var stdout: [Int32] = [-1, -1], stdin: [Int32] = [-1, -1]
        guard pipe(&stdout) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard pipe(&stdin) == 0 else {
            stdout.forEach { close($0) }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin[0], 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, stdout[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for descriptor in stdout + stdin { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(stdout[1])
        close(stdin[0])
        guard spawned == 0 else {
            close(stdout[0])
            close(stdin[1])
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL)
        }
        if let input {
            // A command that exits without reading its input must fail the write, not kill the benchmark.
            signal(SIGPIPE, SIG_IGN)
            var bytes = Array(input.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(stdin[1], $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                bytes = bytes.dropFirst(written)
            }
        }
        close(stdin[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(stdout[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[..<count]
        }
        close(stdout[0])
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let seconds = (clock.now - start) / .seconds(1)
        guard status == 0 else {
            let name = (executable as NSString).lastPathComponent
            throw Failed(description: "\(name) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return Outcome(output: String(decoding: output, as: UTF8.self), seconds: seconds, peakRSS: Double(usage.ru_maxrss) / 1024)
    }
}
