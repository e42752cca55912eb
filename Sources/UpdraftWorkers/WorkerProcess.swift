import CUpdraftSystem

#if canImport(Glibc)
import Glibc
#endif

/// The worker side of a ``WorkerPool``: call ``serveIfRequested(marker:handler:)`` first
/// thing in `main` of every binary that hosts a pool.
///
/// ```swift
/// await WorkerProcess.serveIfRequested { payload in try! await TaskRunner.run(payload) }
/// // … the binary's normal main follows; workers never get here.
/// ```
public enum WorkerProcess {
    /// When argv[1] == `marker`, arms the parent-death signal (SIGKILL), serves jobs from the
    /// protocol pipes until the pool closes them, and exits; otherwise returns immediately.
    ///
    /// During a job with an `outputPath`, fd 1 and 2 append to that file (and stay on it until a
    /// job with another file, or none, comes). A handler that traps or exits kills only this
    /// process; the pool reports it and starts a replacement.
    public static func serveIfRequested(
        marker: String = "__updraft_worker",
        handler: @escaping @Sendable ([UInt8]) async -> [UInt8]
    ) async {
        await serve(marker: marker, start: nil, handler: handler)
    }

    /// As ``serveIfRequested(marker:handler:)``, for a pool with a start-up frame
    /// (``WorkerPoolConfiguration/startup``): `start` receives it first and returns the job
    /// handler. A `start` that throws ends the worker with its error on stderr (the pool reports it).
    public static func serveIfRequested(
        marker: String = "__updraft_worker",
        start: @escaping @Sendable ([UInt8]) async throws -> @Sendable ([UInt8]) async -> [UInt8]
    ) async {
        await serve(marker: marker, start: start, handler: nil)
    }

    private static func serve(
        marker: String, start: (@Sendable ([UInt8]) async throws -> @Sendable ([UInt8]) async -> [UInt8])?,
        handler: (@Sendable ([UInt8]) async -> [UInt8])?
    ) async {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, arguments[1] == marker else { return }
        if updraft_set_parent_death_signal(SIGKILL) != 0 {
            fail("cannot set the parent-death signal: \(String(cString: strerror(errno)))", code: 71)
        }
        // The parent may have died before the signal was armed: then we were re-parented.
        if let expected = getenv(WorkerSpawner.parentPIDVariable).flatMap({ Int32(String(cString: $0)) }),
            getppid() != expected
        {
            exit(0)
        }
        for fd in [WorkerFrame.requestDescriptor, WorkerFrame.replyDescriptor] {
            guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else {
                fail("fd \(fd) is not open: this process was not started by a WorkerPool", code: 64)
            }
        }
        updraft_line_buffer_stdout()
        await serveFrames(start: start, handler: handler)
        exit(0)
    }

    private static func serveFrames(
        start: (@Sendable ([UInt8]) async throws -> @Sendable ([UInt8]) async -> [UInt8])?,
        handler initial: (@Sendable ([UInt8]) async -> [UInt8])?
    ) async {
        var handler = initial
        var frames = FrameBuffer()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            while let body = frames.nextFrame() {
                guard let (outputPath, payload) = WorkerFrame.decodeRequest(body) else {
                    fail("malformed request frame of \(body.count) bytes", code: 65)
                }
                guard let handler else {
                    do { handler = try await start?(payload) } catch { fail("cannot start: \(error)", code: 78) }
                    continue
                }
                OutputRedirection.point(at: outputPath)
                let reply = await handler(payload)
                flushStandardStreams()
                guard WorkerFrame.writeAll(WorkerFrame.reply(reply), to: WorkerFrame.replyDescriptor) else { exit(0) }
            }
            if frames.isCorrupt { fail("request frame longer than \(WorkerFrame.maximumLength) bytes", code: 65) }
            let count = chunk.withUnsafeMutableBytes { read(WorkerFrame.requestDescriptor, $0.baseAddress, $0.count) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                fail("reading requests failed: \(String(cString: strerror(errno)))", code: 74)
            }
            chunk.withUnsafeBytes { frames.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// The file this worker's fd 1 and 2 append to during the current job, if any: a job that
    /// writes to the same file can write to fd 2 instead of opening it again.
    package static var jobOutputPath: String? { OutputRedirection.current }

    /// Flushes every C stdio stream (Swift's `print` buffers in `stdout`).
    static func flushStandardStreams() {
        fflush(nil)
    }

    static func fail(_ message: String, code: Int32) -> Never {
        flushStandardStreams()
        OutputRedirection.restoreStandardStreams()
        WorkerFrame.writeAll(Array("updraft worker \(getpid()): \(message)\n".utf8), to: 2)
        exit(code)
    }
}

/// Points fd 1 and 2 at a job's output file (append). They stay there after the job, until a
/// job with another file (or none) comes: four system calls a job rather than ten. The worker's
/// own messages (`WorkerProcess.fail`) put them back first, so that the pool reads them.
enum OutputRedirection {
    /// The worker's own fd 1 and 2, kept from the first redirection on (-1: not yet).
    nonisolated(unsafe) private static var saved: (out: Int32, err: Int32) = (-1, -1)
    /// The file fd 1 and 2 append to now; nil: the worker's own.
    nonisolated(unsafe) private(set) static var current: String?

    /// Points fd 1 and 2 at `path` (creating the file's folder when it is missing), or back at
    /// the worker's own with nil. A file that cannot be opened ends the worker with a message
    /// on stderr (so the pool reports a crash naming the file).
    static func point(at path: String?) {
        guard let path else {
            restoreStandardStreams()
            return
        }
        WorkerProcess.flushStandardStreams()
        let fd = OutputFile.openForAppend(path)
        if fd < 0 {
            WorkerProcess.fail("cannot open output file '\(path)': \(String(cString: strerror(errno)))", code: 73)
        }
        if saved.out < 0 { saved = (fcntl(1, F_DUPFD_CLOEXEC, 0), fcntl(2, F_DUPFD_CLOEXEC, 0)) }
        dup2(fd, 1)
        dup2(fd, 2)
        close(fd)
        current = path
    }

    /// Points fd 1 and 2 back at the worker's own, if a job's file holds them.
    static func restoreStandardStreams() {
        guard current != nil else { return }
        dup2(saved.out, 1)
        dup2(saved.err, 2)
        current = nil
    }
}
