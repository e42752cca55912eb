import Foundation
import UpdraftCore

// The binary form of a try's request and reply on the pipe between an owner and its worker
// processes (both the same binary), and in the task queue between an owner and remote workers
// (`RemoteJob`, `RemoteOutcome`). JSON through `Codable` was a quarter of a worker's CPU on a
// fan-out of trivial tasks; this is a fixed field order with varints and length-prefixed UTF-8.
// Each frame starts with a version byte, so another version refuses it by name; queue rows in
// JSON, as versions before 2026-12-07 wrote them, are still read.

/// A worker frame that cannot be read: names what was being read and where.
public struct WorkerFrameError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension TaskRequest {
    /// The request as a worker frame (the payload `TaskRunner.handle` reads).
    public var frame: [UInt8] {
        var w = FrameWriter(version: FrameWriter.requestVersion)
        w.string(dagId); w.string(runId); w.string(taskId); w.int(tryNumber)
        w.date(logicalDate); w.date(dataInterval.start); w.date(dataInterval.end)
        w.count(params.count)
        for (key, value) in params { w.string(key); w.json(value) }
        w.strings(factoryInputs)
        w.count(xcoms.count)
        for (task, values) in xcoms { w.string(task); w.strings(values) }
        w.optional(storePath); w.string(logPath); w.optional(buildInput)
        w.string(queue); w.string(dagHash); w.int(priority)
        return w.bytes
    }

    /// Reads a request from a worker frame.
    public init(frame: [UInt8]) throws(WorkerFrameError) {
        var r = try FrameReader(frame, version: FrameWriter.requestVersion, of: "task request")
        let dagId = try r.string("dag id"), runId = try r.string("run id"), taskId = try r.string("task id")
        let tryNumber = try r.int("try number")
        let logicalDate = try r.date("logical date")
        let interval = DataInterval(start: try r.date("data interval start"), end: try r.date("data interval end"))
        var params: [String: JSONValue] = [:]
        for _ in 0..<(try r.count("params")) { params[try r.string("param name")] = try r.json("param value") }
        let factoryInputs = try r.strings("factory inputs")
        var xcoms: [String: [String: String]] = [:]
        for _ in 0..<(try r.count("xcoms")) { xcoms[try r.string("xcom task")] = try r.strings("xcom values") }
        let storePath = try r.optional("store path"), logPath = try r.string("log path")
        let buildInput = try r.optional("build input")
        let queue = try r.string("queue"), dagHash = try r.string("dag hash"), priority = try r.int("priority")
        try r.end()
        self.init(
            dagId: dagId, runId: runId, taskId: taskId, tryNumber: tryNumber, logicalDate: logicalDate,
            dataInterval: interval, params: params, factoryInputs: factoryInputs, xcoms: xcoms, storePath: storePath,
            logPath: logPath, queue: queue, dagHash: dagHash, priority: priority)
        self.buildInput = buildInput
    }
}

extension TaskReply {
    /// The reply as a worker frame. Triggers, notices and counters (rare) travel as JSON inside
    /// it; a trigger's conf that JSON cannot hold (a NaN or infinite number) throws, naming it.
    public func frame() throws(WorkerFrameError) -> [UInt8] {
        var w = FrameWriter(version: FrameWriter.replyVersion)
        w.byte(outcome.ordinal)
        w.strings(xcoms)
        w.byte(follow == nil ? 0 : 1)
        if let follow { w.count(follow.count); follow.forEach { w.string($0) } }
        w.optional(error); w.optional(errorType); w.byte(retryable ? 1 : 0)
        try w.encoded(triggers.isEmpty ? nil : triggers, "triggers")
        try w.encoded(notices, "notices"); try w.encoded(counters, "counters")
        return w.bytes
    }

    /// Reads a reply from a worker frame.
    public init(frame: [UInt8]) throws(WorkerFrameError) {
        var r = try FrameReader(frame, version: FrameWriter.replyVersion, of: "task reply")
        let ordinal = try r.byte("outcome")
        guard let outcome = Outcome(ordinal: ordinal) else { throw r.failure("outcome \(ordinal) is not one of 0…2") }
        let xcoms = try r.strings("xcoms")
        var follow: [String]?
        if try r.byte("follow") != 0 {
            var ids: [String] = []
            for _ in 0..<(try r.count("follow")) { ids.append(try r.string("followed task")) }
            follow = ids
        }
        let error = try r.optional("error"), errorType = try r.optional("error type")
        let retryable = try r.byte("retryable") != 0
        let triggers: [DAGTriggerRequest]? = try r.decoded("triggers")
        let notices: [TaskNotice]? = try r.decoded("notices")
        let counters: [CounterIncrement]? = try r.decoded("counters")
        try r.end()
        self.init(
            outcome: outcome, xcoms: xcoms, follow: follow, triggers: triggers ?? [], notices: notices, error: error,
            errorType: errorType, retryable: retryable, counters: counters)
    }
}

extension RemoteJob {
    static let frameVersion: UInt8 = 0xC1

    /// The job as stored in the task queue: its time limit, then the request's frame.
    func payload() throws(WorkerFrameError) -> [UInt8] {
        var w = FrameWriter(version: Self.frameVersion)
        if let timeoutSeconds {
            w.byte(1)
            w.double(timeoutSeconds)
        } else {
            w.byte(0)
        }
        return w.bytes + request.frame
    }

    /// Reads a stored job: the binary payload, or the JSON of earlier versions.
    init(payload: [UInt8]) throws {
        if payload.first == UInt8(ascii: "{") {
            self = try PayloadCoding.decoder.decode(RemoteJob.self, from: Data(payload))
            return
        }
        var r = try FrameReader(payload, version: Self.frameVersion, of: "queued job")
        let timeout = try r.byte("time limit flag") == 0 ? nil : try r.double("time limit")
        self.init(request: try TaskRequest(frame: r.rest()), timeoutSeconds: timeout)
    }
}

extension RemoteOutcome {
    static let frameVersion: UInt8 = 0xD1

    /// The outcome as a worker stores it: a kind byte, then the reply's frame, the message or the limit.
    var stored: [UInt8] {
        var w = FrameWriter(version: Self.frameVersion)
        switch self {
        case .replied(let reply):
            do {
                let frame = try reply.frame()
                w.byte(0)
                return w.bytes + frame
            } catch {
                return RemoteOutcome.crashed("the try's reply cannot be stored: \(error)").stored
            }
        case .crashed(let message):
            w.byte(1)
            w.string(message)
        case .timedOut(let seconds):
            w.byte(2)
            w.double(seconds)
        case .cancelled:
            w.byte(3)
        }
        return w.bytes
    }

    /// Reads a stored outcome: the binary form, or the JSON of earlier versions.
    init(stored bytes: [UInt8]) throws {
        if bytes.first == UInt8(ascii: "{") {
            self = try PayloadCoding.decoder.decode(RemoteOutcome.self, from: Data(bytes))
            return
        }
        var r = try FrameReader(bytes, version: Self.frameVersion, of: "stored result")
        switch try r.byte("result kind") {
        case 0: self = .replied(try TaskReply(frame: r.rest()))
        case 1:
            self = .crashed(try r.string("crash message"))
            try r.end()
        case 2:
            self = .timedOut(seconds: try r.double("time limit"))
            try r.end()
        case 3:
            self = .cancelled
            try r.end()
        case let kind: throw r.failure("result kind \(kind) is not one of 0…3")
        }
    }
}

extension TaskReply.Outcome {
    fileprivate var ordinal: UInt8 {
        switch self {
        case .success: 0
        case .skipped: 1
        case .failed: 2
        }
    }

    fileprivate init?(ordinal: UInt8) {
        switch ordinal {
        case 0: self = .success
        case 1: self = .skipped
        case 2: self = .failed
        default: return nil
        }
    }
}

/// Appends fields: unsigned LEB128 counts, zigzag varint integers, IEEE doubles (little endian),
/// strings as a count and UTF-8 bytes; a leading version byte.
struct FrameWriter {
    static let requestVersion: UInt8 = 0xA1
    static let replyVersion: UInt8 = 0xB1
    private(set) var bytes: [UInt8] = []

    init(version: UInt8) {
        bytes.reserveCapacity(256)
        bytes.append(version)
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func count(_ value: Int) { varint(UInt64(value)) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func int(_ value: Int) {
        let zigzag = UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1))))
        varint(zigzag)
    }

    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Date's own representation, so the instant reads back bit for bit.
    mutating func date(_ value: Date) { double(value.timeIntervalSinceReferenceDate) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional(_ value: String?) {
        guard let value else { return byte(0) }
        byte(1)
        string(value)
    }

    mutating func strings(_ values: [String: String]) {
        count(values.count)
        for (key, value) in values {
            string(key)
            string(value)
        }
    }

    mutating func json(_ value: JSONValue) {
        switch value {
        case .null: byte(0)
        case .bool(let flag): byte(flag ? 2 : 1)
        case .number(let number):
            byte(3)
            double(number)
        case .string(let text):
            byte(4)
            string(text)
        case .array(let items):
            byte(5)
            count(items.count)
            items.forEach { json($0) }
        case .object(let fields):
            byte(6)
            count(fields.count)
            for (key, field) in fields {
                string(key)
                json(field)
            }
        }
    }

    /// A rare structured field as JSON bytes (absent: a zero count).
    mutating func encoded<T: Encodable>(_ value: T?, _ field: String) throws(WorkerFrameError) {
        guard let value else { return count(0) }
        let data: Data
        do { data = try PayloadCoding.encoder.encode(value) } catch {
            throw WorkerFrameError(description: "the reply's \(field) cannot be written as JSON: \(error)")
        }
        count(data.count)
        bytes.append(contentsOf: data)
    }
}

/// Reads what `FrameWriter` wrote; every read names its field in the error when the frame ends early.
struct FrameReader {
    private let bytes: [UInt8]
    private var position = 1
    private let kind: String

    init(_ bytes: [UInt8], version: UInt8, of kind: String) throws(WorkerFrameError) {
        self.bytes = bytes
        self.kind = kind
        guard let first = bytes.first, first == version else {
            throw WorkerFrameError(
                description: "not a \(kind) frame of this binary (\(bytes.count) bytes, first byte "
                    + (bytes.first.map { String(format: "0x%02X", $0) } ?? "none") + String(format: ", expected 0x%02X)", version))
        }
    }

    func failure(_ what: String) -> WorkerFrameError {
        WorkerFrameError(description: "\(kind) frame, byte \(position) of \(bytes.count): \(what)")
    }

    mutating func byte(_ field: String) throws(WorkerFrameError) -> UInt8 {
        guard position < bytes.count else { throw failure("ends before its \(field)") }
        defer { position += 1 }
        return bytes[position]
    }

    /// A count of entries: never more than the bytes left (each entry takes at least one).
    mutating func count(_ field: String) throws(WorkerFrameError) -> Int { try bounded(field, "entries") }

    /// A length in bytes: never more than the bytes left.
    mutating func length(_ field: String) throws(WorkerFrameError) -> Int { try bounded(field, "bytes") }

    private mutating func bounded(_ field: String, _ unit: String) throws(WorkerFrameError) -> Int {
        let value = try varint(field)
        guard value <= UInt64(bytes.count - position) else {
            throw failure("\(field) claims \(value) \(unit), \(bytes.count - position) bytes are left")
        }
        return Int(value)
    }

    mutating func varint(_ field: String) throws(WorkerFrameError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte(field)
            guard shift < 64 else { throw failure("\(field) is not a valid number") }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { break }
            shift += 7
        }
        return value
    }

    mutating func int(_ field: String) throws(WorkerFrameError) -> Int {
        let zigzag = try varint(field)
        return Int(truncatingIfNeeded: Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
    }

    mutating func double(_ field: String) throws(WorkerFrameError) -> Double {
        guard bytes.count - position >= 8 else { throw failure("ends before its \(field)") }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return Double(bitPattern: bits)
    }

    mutating func date(_ field: String) throws(WorkerFrameError) -> Date {
        Date(timeIntervalSinceReferenceDate: try double(field))
    }

    mutating func string(_ field: String) throws(WorkerFrameError) -> String {
        let size = try length(field)
        defer { position += size }
        return String(decoding: bytes[position..<position + size], as: UTF8.self)
    }

    mutating func optional(_ field: String) throws(WorkerFrameError) -> String? {
        try byte(field) == 0 ? nil : try string(field)
    }

    mutating func strings(_ field: String) throws(WorkerFrameError) -> [String: String] {
        let entries = try count(field)
        var values: [String: String] = [:]
        // A count is only bounded by the bytes left; a slot costs more than the two bytes an
        // entry needs at least, so a lying frame must not size the dictionary.
        values.reserveCapacity(min(entries, 64))
        for _ in 0..<entries { values[try string(field)] = try string(field) }
        return values
    }

    mutating func json(_ field: String, depth: Int = 0) throws(WorkerFrameError) -> JSONValue {
        guard depth < 512 else { throw failure("\(field) nests deeper than 512 levels") }
        switch try byte(field) {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .number(try double(field))
        case 4: return .string(try string(field))
        case 5:
            var items: [JSONValue] = []
            for _ in 0..<(try count(field)) { items.append(try json(field, depth: depth + 1)) }
            return .array(items)
        case 6:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<(try count(field)) { fields[try string(field)] = try json(field, depth: depth + 1) }
            return .object(fields)
        case let tag: throw failure("\(field) has an unknown type tag \(tag)")
        }
    }

    mutating func decoded<T: Decodable>(_ field: String) throws(WorkerFrameError) -> T? {
        let size = try length(field)
        guard size > 0 else { return nil }
        defer { position += size }
        do {
            return try PayloadCoding.decoder.decode(T.self, from: Data(bytes[position..<position + size]))
        } catch {
            throw failure("\(field) is not readable JSON: \(error)")
        }
    }

    /// The bytes not read yet (a frame nested at the end of this one).
    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[position...])
    }

    func end() throws(WorkerFrameError) {
        guard position == bytes.count else { throw failure("\(bytes.count - position) bytes after the last field") }
    }
}
