import Foundation
import Testing
import UpdraftCore

@testable import UpdraftRuntime

/// The binary request and reply frames between an owner and its worker processes.
struct WorkerFrameCodingTests {
    static func fullRequest() -> TaskRequest {
        var request = TaskRequest(
            dagId: "historical", runId: "scheduled__2024-01-01T00:00:00+00:00", taskId: "historical.BTCUSDT.load_2024_01",
            tryNumber: 3, logicalDate: Date(timeIntervalSince1970: 1_704_067_200.123456),
            dataInterval: DataInterval(
                start: Date(timeIntervalSince1970: 1_704_067_200), end: Date(timeIntervalSince1970: 1_704_153_600.5)),
            params: [
                "n": .number(-12.75), "flag": .bool(true), "off": .bool(false), "none": .null, "name": .string("Zürich ✓ \"q\""),
                "nested": .object(["list": .array([.number(1), .string(""), .array([]), .object([:])])]),
            ],
            factoryInputs: ["historical": "[\"BTCUSDT\",\"ETHUSDT\"]"],
            xcoms: ["extract": ["return_value": "{\"rows\":525600}", "other": "null"], "empty": [:]],
            storePath: "/tmp/home/state.db", logPath: "/tmp/home/logs/historical/run/t.try-3.log", queue: "warehouse",
            dagHash: "abc123", priority: -7)
        request.buildInput = "{\"symbols\":[]}"
        return request
    }

    /// A try's log holds only that try, so a crash report quotes it from the start without a
    /// `stat`; a factory's build appends to try 1's log at each rebuild, so the pool measures it.
    @Test func aJobQuotesItsWholeLogExceptAFactoryBuildWhichAppendsToTryOne() {
        var request = Self.fullRequest()
        #expect(WorkerPoolExecutor.job(request, timeout: nil).outputStart == nil)
        request.buildInput = nil
        let job = WorkerPoolExecutor.job(request, timeout: .seconds(5))
        #expect(job.outputStart == 0)
        #expect(job.outputPath == request.logPath)
        #expect(job.timeout == .seconds(5))
    }

    @Test func aRequestReadsBackFieldForField() throws {
        let request = Self.fullRequest()
        let read = try TaskRequest(frame: request.frame)
        // Both through the JSON the remote queue stores: every field compared.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        #expect(String(decoding: try encoder.encode(read), as: UTF8.self) == String(decoding: try encoder.encode(request), as: UTF8.self))
        #expect(read.logicalDate == request.logicalDate && read.buildInput == request.buildInput && read.storePath == request.storePath)

        var plain = TaskRequest(
            dagId: "d", runId: "r", taskId: "t", tryNumber: 1, logicalDate: Date(timeIntervalSince1970: 0),
            dataInterval: DataInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 0)),
            params: [:], logPath: "l")
        plain.priority = Int.min
        let readPlain = try TaskRequest(frame: plain.frame)
        #expect(readPlain.storePath == nil && readPlain.buildInput == nil && readPlain.priority == Int.min && readPlain.queue == "default")
    }

    /// The JSON of a request with sorted keys, to compare every field.
    static func sortedJSON(_ request: TaskRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }

    /// A task-queue row carries the job and, once done, the outcome in binary; rows an earlier
    /// version wrote in JSON still read.
    @Test func aQueuedJobAndAStoredOutcomeReadBackAndTheJSONOfEarlierVersionsStillReads() throws {
        let request = Self.fullRequest()
        for timeout in [nil, 12.5] as [Double?] {
            let job = RemoteJob(request: request, timeoutSeconds: timeout)
            for stored in [try job.payload(), Array(try PayloadCoding.encoder.encode(job))] {
                let read = try RemoteJob(payload: stored)
                #expect(read.timeoutSeconds == timeout)
                #expect(try Self.sortedJSON(read.request) == Self.sortedJSON(request))
            }
        }
        let outcomes: [RemoteOutcome] = [
            .replied(TaskReply(outcome: .success, xcoms: ["return_value": "1"])), .replied(TaskReply(outcome: .failed, error: "no")),
            .crashed("boom ✓"), .timedOut(seconds: 2.5), .cancelled,
        ]
        for outcome in outcomes {
            #expect(try RemoteOutcome(stored: outcome.stored).stored == outcome.stored)
            #expect(try RemoteOutcome(stored: Array(PayloadCoding.encoder.encode(outcome))).stored == outcome.stored)
        }
        // Damaged rows are refused naming what is wrong; the owner fails the try with it.
        #expect(throws: WorkerFrameError.self) { try RemoteJob(payload: [RemoteJob.frameVersion]) }
        #expect(throws: WorkerFrameError.self) { try RemoteJob(payload: Self.fullRequest().frame) }
        #expect(throws: WorkerFrameError.self) { try RemoteOutcome(stored: RemoteOutcome.crashed("x").stored + [0]) }
        #expect(throws: WorkerFrameError.self) { try RemoteOutcome(stored: [RemoteOutcome.frameVersion, 7]) }
        guard case .crashed(let message) = RemoteOutcome.decode([1, 2], worker: "w9") else {
            Issue.record("damaged bytes were read as a result")
            return
        }
        #expect(message.contains("worker w9 stored an unreadable result (2 bytes)"))
    }

    @Test func aReplyReadsBackEqual() throws {
        let replies = [
            TaskReply(outcome: .success),
            TaskReply(outcome: .skipped, xcoms: ["return_value": "42"], follow: []),
            TaskReply(
                outcome: .failed, xcoms: ["k": "\"v\""], follow: ["a", "b.c"],
                triggers: [DAGTriggerRequest(dagId: "indicators", conf: ["symbols": .array([.string("BTCUSDT")])])],
                notices: [TaskNotice(key: "k", title: "t", lines: ["one", "two"], channels: ["ops"])],
                error: "HTTP 429 from 127.0.0.1", errorType: "HTTPError", retryable: false,
                counters: [CounterIncrement(name: "updraft_http_retries_total", labels: ["host": "h"], amount: 2)]),
        ]
        for reply in replies { #expect(try TaskReply(frame: reply.frame()) == reply) }
    }

    @Test func aReplyWhoseTriggerJSONCannotHoldFailsTheTryInsteadOfDroppingIt() async throws {
        let dag = DAG("kicker") { d in d.task("kick") { ctx in ctx.triggerDAG("child", conf: ["x": .number(.nan)]) } }
        let runner = TaskRunner(registry: try DAGRegistry([dag]))
        let request = TaskRequest(
            dagId: "kicker", runId: "r", taskId: "kick", tryNumber: 1, logicalDate: Date(timeIntervalSince1970: 0),
            dataInterval: DataInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 0)),
            params: [:], logPath: FileManager.default.temporaryDirectory.appendingPathComponent("kicker-\(UUID()).log").path)
        let reply = try TaskReply(frame: await runner.handle(request.frame))
        #expect(reply.outcome == .failed)
        #expect(reply.errorType == "TaskReplyError")
        #expect(reply.error?.contains("triggers cannot be written as JSON") == true)
    }

    @Test func anyInstantReadsBackBitForBit() throws {
        var request = Self.fullRequest()
        let odd = Date(timeIntervalSinceReferenceDate: 786_000_000.123_456_789)
        request.logicalDate = odd
        request.dataInterval = DataInterval(start: odd, end: Date(timeIntervalSinceReferenceDate: 0.1))
        let read = try TaskRequest(frame: request.frame)
        #expect(read.logicalDate.timeIntervalSinceReferenceDate.bitPattern == odd.timeIntervalSinceReferenceDate.bitPattern)
        #expect(read.dataInterval == request.dataInterval)
    }

    @Test func aDamagedFrameIsRefusedNamingWhatIsWrong() throws {
        let frame = Self.fullRequest().frame
        // A JSON request (an older owner) is not taken for a frame.
        #expect(throws: WorkerFrameError.self) { try TaskRequest(frame: Array("{\"dagId\":\"d\"}".utf8)) }
        #expect(throws: WorkerFrameError.self) { try TaskRequest(frame: []) }
        // Cut anywhere: an error naming the field, never a trap or a partial request.
        for end in 1..<frame.count {
            do {
                _ = try TaskRequest(frame: Array(frame[..<end]))
                Issue.record("a frame cut at \(end) of \(frame.count) bytes was read")
            } catch {
                #expect(error.description.contains("task request frame"))
            }
        }
        do {
            _ = try TaskRequest(frame: frame + [0])
            Issue.record("a trailing byte was ignored")
        } catch {
            #expect(error.description.contains("1 bytes after the last field"))
        }
        // A count far beyond the frame is refused before anything is reserved for it.
        var huge = FrameWriter(version: FrameWriter.replyVersion)
        huge.byte(0)
        huge.varint(UInt64.max >> 1)
        do {
            _ = try TaskReply(frame: huge.bytes)
            Issue.record("an impossible count was read")
        } catch {
            #expect(error.description.contains("xcoms claims"))
        }
        #expect(throws: WorkerFrameError.self) { try TaskReply(frame: [FrameWriter.replyVersion, 9]) }
    }

    @Test func aWorkerRunsAFrameAndRepliesWithOne() async throws {
        let dag = DAG("framed") { d in d.task("t") { ctx in try ctx.xcomPush("seen", try ctx.param("count", as: Int.self) ?? 0) } }
        let runner = TaskRunner(registry: try DAGRegistry([dag]))
        let request = TaskRequest(
            dagId: "framed", runId: "r", taskId: "t", tryNumber: 1, logicalDate: Date(timeIntervalSince1970: 0),
            dataInterval: DataInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 0)),
            params: ["count": .number(3)],
            logPath: FileManager.default.temporaryDirectory.appendingPathComponent("framed-\(UUID()).log").path)
        let reply = try TaskReply(frame: await runner.handle(request.frame))
        #expect(reply.outcome == .success)
        #expect(reply.xcoms["seen"] == "3")
        let refused = try TaskReply(frame: await runner.handle(Array("{}".utf8)))
        #expect(refused.outcome == .failed && refused.retryable == false)
        #expect(refused.error?.contains("not a task request frame") == true)
    }
}
