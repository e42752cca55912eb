#if canImport(Glibc)
import Glibc
#endif

/// The wire format between pool and worker: frames of a little-endian `UInt32` length
/// followed by that many bytes, on dedicated pipes (fd 3: requests, fd 4: replies in the worker).
///
/// A request frame's body is `[UInt32 path length or 0xFFFFFFFF][output path][payload]`;
/// a reply frame's body is the handler's reply.
enum WorkerFrame {
    /// The worker's request pipe (read end) after `posix_spawn`'s dup2.
    static let requestDescriptor: Int32 = 3
    /// The worker's reply pipe (write end) after `posix_spawn`'s dup2.
    static let replyDescriptor: Int32 = 4
    static let noOutputPath: UInt32 = .max
    static let maximumLength = 1 << 30

    static func request(_ job: WorkerJob) -> [UInt8] {
        let path = job.outputPath.map { Array($0.utf8) }
        let bodyLength = 4 + (path?.count ?? 0) + job.payload.count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + bodyLength)
        append(UInt32(bodyLength), to: &bytes)
        append(path.map { UInt32($0.count) } ?? noOutputPath, to: &bytes)
        if let path { bytes += path }
        bytes += job.payload
        return bytes
    }

    static func reply(_ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + payload.count)
        append(UInt32(payload.count), to: &bytes)
        bytes += payload
        return bytes
    }

    /// Splits a request body into output path and payload; nil when malformed.
    static func decodeRequest(_ body: [UInt8]) -> (outputPath: String?, payload: [UInt8])? {
        guard body.count >= 4 else { return nil }
        let pathLength = readUInt32(body, at: 0)
        if pathLength == noOutputPath { return (nil, Array(body[4...])) }
        let end = 4 + Int(pathLength)
        guard end <= body.count else { return nil }
        return (String(decoding: body[4..<end], as: UTF8.self), Array(body[end...]))
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    static func readUInt32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
            | UInt32(bytes[index + 3]) << 24
    }

    /// Writes all of `bytes` to `fd`, retrying on EINTR; false when the pipe is broken.
    @discardableResult
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

/// Accumulates bytes read from a pipe and cuts them into frames.
struct FrameBuffer {
    private var bytes: [UInt8] = []
    private var start = 0

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        if start > 0, start == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            start = 0
        }
        bytes.append(contentsOf: chunk)
    }

    /// The next complete frame body, or nil when more bytes are needed.
    mutating func nextFrame() -> [UInt8]? {
        guard bytes.count - start >= 4 else { return nil }
        let length = Int(WorkerFrame.readUInt32(bytes, at: start))
        guard bytes.count - start - 4 >= length else { return nil }
        let body = Array(bytes[(start + 4)..<(start + 4 + length)])
        start += 4 + length
        if start > 65_536, start * 2 > bytes.count {
            bytes.removeFirst(start)
            start = 0
        }
        return body
    }

    /// True when the pending length prefix announces an impossible frame.
    var isCorrupt: Bool {
        bytes.count - start >= 4 && Int(WorkerFrame.readUInt32(bytes, at: start)) > WorkerFrame.maximumLength
    }
}
