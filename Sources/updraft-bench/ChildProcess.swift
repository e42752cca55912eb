import CUpdraftSystem
import Foundation

/// A command the benchmark runs to its end: posix_spawn, its standard output read to the end,
/// then `wait4`.
///
/// Not `Process`: its `waitUntilExit` polls every 50 ms, which added 0–50 ms to every command
/// timed through it (a 10 ms command measured 51 ms), and Foundation reaps its own children, so
/// only it sees their resource usage.
enum ChildProcess {
    /// What the command printed, its wall time from spawn to exit, and its peak RSS in MB.
    struct Outcome {
        let output: String
        let seconds: Double
        let peakRSS: Double
    }

    /// Runs `executable` with `arguments` and exactly `environment`, its signals at their defaults
    /// and no descriptor of ours but its standard streams. `input` (at most a pipe's 64 KB: it is
    /// written before the output is read) goes to its standard input, which is then closed; its
    /// standard output is returned when `captureOutput`, else goes to /dev/null. Throws unless it
    /// exits with 0, with the last lines of its standard error.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil,
        captureOutput: Bool = true
    ) throws -> Outcome {
        let name = (executable as NSString).lastPathComponent
        func failure(_ call: String, _ code: Int32) -> PostgresBenchmark.BenchError {
            PostgresBenchmark.BenchError("cannot run \(executable): \(call): \(String(cString: strerror(code)))")
        }
        var opened: [Int32] = []
        defer { opened.forEach { close($0) } }
        /// A close-on-exec pipe whose ends are ≥ 10, so the child's dup2 onto 0, 1 and 2 never
        /// clobbers one of them.
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard updraft_spawn_pipe(&fds, 10) == 0 else { throw failure("pipe2, fcntl", errno) }
            opened += fds
            return (fds[0], fds[1])
        }
        func closeNow(_ fd: Int32) {
            close(fd)
            opened.removeAll { $0 == fd }
        }
        let inputPipe = try makePipe()
        let outputPipe = captureOutput ? try makePipe() : nil
        let errorPipe = try makePipe()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe.read, 0)
        if let outputPipe {
            posix_spawn_file_actions_adddup2(&actions, outputPipe.write, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, errorPipe.write, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The benchmark ignores SIGPIPE (main.swift); the command gets every signal's default.
        let signals = updraft_spawnattr_default_signals(&attributes)
        guard signals == 0 else { throw failure("posix_spawnattr_setsigdefault", signals) }
        let closing = updraft_spawn_close_other_descriptors(&actions, &attributes, 3)
        guard closing == 0 else { throw failure("posix_spawn_file_actions_addclosefrom_np", closing) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw failure("posix_spawn", spawned) }
        [inputPipe.read, errorPipe.write].forEach(closeNow)
        if let outputPipe { closeNow(outputPipe.write) }

        var bytes = Array((input ?? "").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(inputPipe.write, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { break }  // the command exited without reading it all (EPIPE)
            bytes = bytes.dropFirst(written)
        }
        closeNow(inputPipe.write)
        // Both streams at once, so a command that fills one pipe while we wait on the other
        // never blocks; the standard error's last 4 KB are kept for a failure's message.
        var output: [UInt8] = [], errors: [UInt8] = []
        var streams = [
            pollfd(fd: outputPipe?.read ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: errorPipe.read, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while streams.contains(where: { $0.fd >= 0 }) {
            if poll(&streams, nfds_t(streams.count), -1) < 0 {
                if errno == EINTR { continue }
                throw failure("poll", errno)
            }
            for index in streams.indices where streams[index].fd >= 0 && streams[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(streams[index].fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    streams[index].fd = -1  // poll skips negative descriptors; `opened` closes them
                } else if index == 0 {
                    output += buffer[..<count]
                } else {
                    errors = Array((errors + buffer[..<count]).suffix(4_096))
                }
            }
        }
        var status: Int32 = 0
        var usage = rusage()
        var waited: pid_t
        repeat { waited = wait4(pid, &status, 0, &usage) } while waited < 0 && errno == EINTR
        guard waited == pid else { throw failure("wait4", errno) }
        let seconds = (clock.now - start) / .seconds(1)
        guard status == 0 else {
            let ending = status & 0x7f == 0 ? "exit code \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
            let tail = String(decoding: errors, as: UTF8.self).split(separator: "\n").suffix(5).joined(separator: "\n")
            throw PostgresBenchmark.BenchError(
                "\(name) \(arguments.joined(separator: " ")) failed (\(ending))" + (tail.isEmpty ? "" : ":\n\(tail)"))
        }
        return Outcome(output: String(decoding: output, as: UTF8.self), seconds: seconds, peakRSS: Double(usage.ru_maxrss) / 1024)
    }
}
