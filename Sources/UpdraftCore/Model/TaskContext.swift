import Foundation

/// What a task body sees: its run, dates, conf, XCom, log and cancellation.
///
/// ```swift
/// d.task("load") { ctx in
///     // By id, for dynamic cases (a typed input is `d.task("load", extract) { ctx, rows in … }`).
///     guard let rows = try ctx.xcom([Int].self, from: "extract") else { throw TaskFailure("no rows") }
///     ctx.log.info("loading \(rows.count) rows for \(ctx.logicalDate)")
///     try ctx.xcomPush("count", rows.count)
/// }
/// ```
public struct TaskContext: Sendable {
    public var dagId: String
    public var runId: String
    /// The full task id, e.g. `historical.BTCUSDT.load_2024_01`.
    public var taskId: String
    /// 1 for the first try.
    public var tryNumber: Int
    public var logicalDate: Date
    public var dataInterval: DataInterval
    /// The run conf merged over the DAG's param defaults.
    public var params: [String: JSONValue]
    /// The log of this try (`runs/logs/<dag>/<run>/<task>.try-<n>.log`).
    public var log: TaskLog
    /// This process's resources (HTTP clients, databases), built once per process.
    public var resources: Resources
    let environment: any TaskEnvironment

    /// A context; the runtime builds one per try.
    public init(
        dagId: String, runId: String, taskId: String, tryNumber: Int, logicalDate: Date,
        dataInterval: DataInterval, params: [String: JSONValue], environment: any TaskEnvironment,
        resources: Resources = Resources()
    ) {
        self.dagId = dagId; self.runId = runId; self.taskId = taskId; self.tryNumber = tryNumber
        self.logicalDate = logicalDate; self.dataInterval = dataInterval; self.params = params
        self.environment = environment; self.log = TaskLog(environment: environment)
        self.resources = resources
    }

    /// The process's resource of type `R` (`try ctx.resource(MarketDatabase.self)`), built on first use.
    public func resource<R: Sendable>(_ type: R.Type = R.self) throws -> R { try resources.resolve(type) }

    /// Counters to report to the run's owner, which serves them as Prometheus metrics
    /// (`ctx.metrics.increment("updraft_rows_ingested_total", labels: ["table": "klines"], by: n)`).
    public var metrics: TaskMetrics { resources.metrics }

    /// The run conf value for `key` (or its param default).
    public subscript(param key: String) -> JSONValue? { params[key] }

    /// A param decoded as `T` (`try ctx.param("symbols", as: [String].self)`); nil when absent or null.
    public func param<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        guard let value = params[key], value != .null else { return nil }
        return try XComCoding.decode(type, from: XComCoding.encode(value), source: "param '\(key)'")
    }

    /// Stores a small Codable value under `key` for downstream tasks.
    public func xcomPush<T: Encodable>(_ key: String, _ value: T) throws {
        environment.push(key: key, value: try XComCoding.encode(value))
    }

    /// Reads a value pushed by `task` (a sibling id in the same group, or a full id); nil when
    /// absent. A store that cannot be read throws, which fails the try with that error.
    public func xcom<T: Decodable>(
        _ type: T.Type = T.self, from task: String,
        key: String = XComCoding.returnValueKey
    ) throws -> T? {
        guard let bytes = try environment.pull(task: task, key: key, from: taskId) else { return nil }
        return try XComCoding.decode(type, from: bytes, source: "xcom \(task)/\(key)")
    }

    /// Asks for a run of another DAG with `conf`; it is created when this try succeeds.
    public func triggerDAG(_ dagId: String, conf: [String: JSONValue] = [:]) {
        environment.trigger(dagId: dagId, conf: conf)
    }

    /// Asks the engine to send a message to the notification channels when this try succeeds
    /// (written to the outbox in the try's commit). The engine sends one message per `key` and
    /// channel, ever: a re-run that notifies with the same key sends nothing again.
    /// `channels` nil: every configured channel.
    ///
    /// ```swift
    /// ctx.notify(key: "alert:rsi-hot:BTCUSDT:1733400000000", event: "market_alert",
    ///            title: "BTCUSDT: RSI crossed above 70", lines: ["RSI 71.4 at 2026-12-05 12:00 UTC"])
    /// ```
    public func notify(key: String, event: String = "task_notice", title: String, lines: [String] = [], channels: [String]? = nil) {
        environment.notify(TaskNotice(key: key, event: event, title: title, lines: lines, channels: channels))
    }

    /// Ends this try as `skipped`.
    public func skip(_ reason: String = "skipped by the task") throws -> Never { throw TaskSkip(reason) }

    /// Throws `CancellationError` when the try was cancelled (timeout, run cancelled, shutdown).
    public func checkCancellation() throws { try Task.checkCancellation() }
}

/// The runtime side of a `TaskContext` (XCom, log, triggers); implemented by the runtime.
public protocol TaskEnvironment: Sendable {
    func push(key: String, value: [UInt8])
    /// The value, nil when absent; throws when the store cannot be read (the try fails with it).
    func pull(task: String, key: String, from requester: String) throws -> [UInt8]?
    func trigger(dagId: String, conf: [String: JSONValue])
    /// Keeps a message to send when the try succeeds (`ctx.notify`).
    func notify(_ notice: TaskNotice)
    func write(log line: String)
}

/// A message a task asks the engine to send (`ctx.notify`), delivered through the outbox.
public struct TaskNotice: Sendable, Codable, Hashable {
    /// The dedupe key: one message per key and channel, ever.
    public var key: String
    /// A short machine name receivers may route on (`market_alert`).
    public var event: String
    public var title: String
    public var lines: [String]
    /// The channels by name; nil for every configured channel.
    public var channels: [String]?

    public init(key: String, event: String = "task_notice", title: String, lines: [String] = [], channels: [String]? = nil) {
        self.key = key; self.event = event; self.title = title; self.lines = lines; self.channels = channels
    }
}

/// Thrown by a task to end its try as `skipped` (Airflow's `AirflowSkipException`).
public struct TaskSkip: Error, CustomStringConvertible, Sendable {
    public var reason: String
    /// Skips the try with a reason shown in its log.
    public init(_ reason: String = "skipped by the task") { self.reason = reason }
    public var description: String { reason }
}

/// Thrown by a task to fail without retry (Airflow's `AirflowFailException`).
public struct TaskFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// Fails the task at once, whatever its retry policy.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The log of one try: each line is prefixed with a UTC timestamp and level.
public struct TaskLog: Sendable {
    let environment: any TaskEnvironment

    /// A log writing through `environment`.
    public init(environment: any TaskEnvironment) { self.environment = environment }
    /// Writes an INFO line.
    public func info(_ message: String) { write("INFO", message) }
    /// Writes a WARNING line.
    public func warning(_ message: String) { write("WARNING", message) }
    /// Writes an ERROR line.
    public func error(_ message: String) { write("ERROR", message) }
    private func write(_ level: String, _ message: String) {
        environment.write(log: "[\(TaskLog.timestamp(Date()))] \(level) - \(message)")
    }
    /// ISO 8601 UTC with milliseconds (`2026-12-07T12:34:38.934Z`), exactly as Foundation's
    /// `ISO8601FormatStyle` writes it: from the date's seconds since 2001 (what a `Date` stores),
    /// the fraction cut to nanoseconds, then to milliseconds.
    /// Written by hand for the years 1583 to 9999: every try writes two such lines, and
    /// Foundation's calendar took a fifteenth of a worker's CPU on a fan-out. Other years (where
    /// Foundation's calendar is Julian, or the year is not four digits) go to Foundation.
    public static func timestamp(_ date: Date) -> String {
        let sinceReference = date.timeIntervalSinceReferenceDate
        let whole = sinceReference.rounded(.down)
        // 1583-01-01 and 10000-01-01, in seconds since 2001 (NaN fails both).
        guard whole >= -12_212_553_600 - 978_307_200, whole < 253_402_300_800 - 978_307_200 else {
            return foundationTimestamp(date)
        }
        let milliseconds = Int64((sinceReference - whole) * 1e9) / 1_000_000
        var (days, inDay) = (Int64(whole) + 978_307_200).quotientAndRemainder(dividingBy: 86_400)
        if inDay < 0 {
            days -= 1
            inDay += 86_400
        }
        let (year, month, day) = CivilMinute.civil(fromDays: days)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var end = 0
            /// Writes `value` in `digits` digits, then `separator`.
            func put(_ value: Int64, _ digits: Int, _ separator: Character) {
                var rest = value
                for index in stride(from: end + digits - 1, through: end, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                buffer[end + digits] = separator.asciiValue!
                end += digits + 1
            }
            put(Int64(year), 4, "-"); put(Int64(month), 2, "-"); put(Int64(day), 2, "T")
            put(inDay / 3_600, 2, ":"); put(inDay / 60 % 60, 2, ":"); put(inDay % 60, 2, ".")
            put(milliseconds, 3, "Z")
            return end
        }
    }

    /// Foundation's form of ``timestamp(_:)``.
    static func foundationTimestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true)
                .timeZone(separator: .omitted))
    }
}

/// How XCom values are encoded (JSON).
public enum XComCoding {
    /// The key a task's returned value is stored under (Airflow's name).
    public static let returnValueKey = "return_value"

    /// XCom is for small values (Airflow's rule); larger values belong in files or tables.
    public static let maximumSize = 1 << 20

    /// JSON bytes of `value`; throws when over `maximumSize`.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let bytes = Array(try encoder.encode(value))
        guard bytes.count <= maximumSize else {
            throw JSONValueError(
                source: "XCom value of type \(T.self)",
                message: "\(bytes.count) bytes is over the \(maximumSize)-byte limit; XCom is for small values")
        }
        return bytes
    }

    /// Decodes JSON bytes; the error names `source`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], source: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(type, from: Data(bytes)) } catch {
            throw JSONValueError(source: source, message: "cannot decode \(T.self): \(error)")
        }
    }
}
