import Foundation
import UpdraftCore

/// One try of one task of one run: the key of a queued try.
public struct TryKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var dagId: String
    public var runId: String
    public var taskId: String
    public var tryNumber: Int
    public init(dagId: String, runId: String, taskId: String, tryNumber: Int) {
        self.dagId = dagId; self.runId = runId; self.taskId = taskId; self.tryNumber = tryNumber
    }
    public var description: String { "try \(tryNumber) of task '\(taskId)' in run '\(runId)' of DAG '\(dagId)'" }
}

/// A try the run's owner put on a queue for a worker (Airflow's queued task instance).
public struct QueuedTry: Sendable, Hashable {
    public var key: TryKey
    /// The queue that serves it (`default`, `warehouse`, or any name a task gives).
    public var queue: String
    /// Higher first, then oldest first.
    public var priority: Int
    /// What the worker runs: the encoded request, opaque to the store.
    public var payload: [UInt8]
    /// The structure hash of the DAG the run was planned with: a worker with other code refuses it.
    public var dagHash: String
    public var enqueuedAt: Date
    public init(key: TryKey, queue: String, priority: Int = 1, payload: [UInt8], dagHash: String, enqueuedAt: Date) {
        self.key = key; self.queue = queue; self.priority = priority; self.payload = payload; self.dagHash = dagHash
        self.enqueuedAt = enqueuedAt
    }
}

/// Where a queued try is.
public enum QueuedTryState: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker.
    case queued
    /// Claimed by a worker, whose heartbeat keeps the claim.
    case running
    /// The worker reported the outcome (`result`).
    case done
    /// Its worker stopped heartbeating (or the run's owner gave it up): no result will ever be applied.
    case interrupted
}

/// Proof of a claim: only the current claim's heartbeat and result are accepted (the token is a
/// fencing token, larger for every claim of any try).
public struct TryClaim: Sendable, Hashable, Codable {
    public var key: TryKey
    public var token: Int64
    public var worker: String
    public init(key: TryKey, token: Int64, worker: String) { self.key = key; self.token = token; self.worker = worker }
}

/// A queued try with its claim and outcome.
public struct QueuedTryRecord: Sendable, Hashable {
    public var entry: QueuedTry
    public var state: QueuedTryState
    /// The claiming worker's id, when claimed.
    public var worker: String?
    public var claimToken: Int64?
    public var claimedAt: Date?
    public var heartbeatAt: Date?
    /// The claim is void after this unless renewed.
    public var expiresAt: Date?
    public var finishedAt: Date?
    /// The worker's encoded outcome, when done.
    public var result: [UInt8]?
    /// Why it was interrupted.
    public var reason: String?
    public init(
        entry: QueuedTry, state: QueuedTryState, worker: String? = nil, claimToken: Int64? = nil, claimedAt: Date? = nil,
        heartbeatAt: Date? = nil, expiresAt: Date? = nil, finishedAt: Date? = nil, result: [UInt8]? = nil,
        reason: String? = nil
    ) {
        self.entry = entry; self.state = state; self.worker = worker; self.claimToken = claimToken
        self.claimedAt = claimedAt; self.heartbeatAt = heartbeatAt; self.expiresAt = expiresAt
        self.finishedAt = finishedAt; self.result = result; self.reason = reason
    }
}

/// A worker or scheduler process as it registered itself (Airflow's `job` rows): what it serves
/// and when it last said it was alive.
public struct WorkerRecord: Sendable, Hashable, Codable {
    /// `host:pid:start`, unique across hosts and restarts.
    public var id: String
    /// `worker` or `scheduler`.
    public var kind: String
    public var host: String
    public var pid: Int32
    public var queues: [String]
    public var slots: Int
    /// Tries it runs now.
    public var running: Int
    /// The binary's version.
    public var version: String
    public var startedAt: Date
    public var heartbeatAt: Date
    public init(
        id: String, kind: String, host: String, pid: Int32, queues: [String], slots: Int, running: Int, version: String,
        startedAt: Date, heartbeatAt: Date
    ) {
        self.id = id; self.kind = kind; self.host = host; self.pid = pid; self.queues = queues; self.slots = slots
        self.running = running; self.version = version; self.startedAt = startedAt; self.heartbeatAt = heartbeatAt
    }
}

/// The queue between a run's owner and the workers that serve other hosts, and what those
/// workers leave behind: their registrations and the logs of their tries.
///
/// A try is claimed in batches (PostgreSQL: `FOR UPDATE SKIP LOCKED`), kept by heartbeats, and
/// finished by exactly one result: each claim carries a fencing token, and a result or renewal
/// whose token is not the try's current claim is refused (`StoreError.claimLost`). A claim whose
/// heartbeat stopped is interrupted by the run's owner (`interruptExpired`), never handed to a
/// second worker, so no try runs twice: the owner starts the next try instead.
public protocol TaskQueueStore: Sendable {
    /// Queues tries in one write; a try already queued keeps its row (the call is idempotent).
    func enqueueTries(_ entries: [QueuedTry]) async throws
    /// Claims up to `limit` queued tries of `queues` for `worker`, highest priority then oldest first.
    func claimTries(
        worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws -> [(
        QueuedTry, TryClaim
    )]
    /// Renews the claims still held (returned); a claim that was lost is left out.
    func renewClaims(_ claims: [TryClaim], now: Date, timeout: TimeInterval) async throws -> [TryClaim]
    /// Records the outcomes in one write, each only under its try's current claim (a claim whose
    /// try was interrupted or claimed again is refused), and appends each one's log tail (kept even
    /// when its result is refused); returns the tries whose result was refused.
    func completeTries(_ results: [TryResult], now: Date) async throws -> Set<TryKey>
    /// `completeTries` and then `claimTries` (up to `limit`) in one write, one round trip where
    /// the store can (PostgreSQL): a worker reports what ended and takes what it has room for.
    func completeAndClaim(
        _ results: [TryResult], worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws -> (refused: Set<TryKey>, claimed: [(QueuedTry, TryClaim)])
    func queuedTry(_ key: TryKey) async throws -> QueuedTryRecord?
    /// The rows of these tries that exist (in no particular order): a run's owner reads the tries
    /// it waits for in one go.
    func queuedTries(_ keys: [TryKey]) async throws -> [QueuedTryRecord]
    /// Queued tries in a state (all when nil), oldest first.
    func queuedTries(state: QueuedTryState?) async throws -> [QueuedTryRecord]
    /// Marks the try interrupted when it is still queued (`force`) or its claim expired before
    /// `now`; returns whether it did. The run's owner calls it; a late result is then refused.
    func interruptTry(_ key: TryKey, reason: String, now: Date, force: Bool) async throws -> Bool
    /// Deletes finished queue rows and log chunks of tries that ended before `date`; returns how many rows.
    func pruneQueuedTries(finishedBefore date: Date) async throws -> Int

    /// Inserts or replaces a process's registration (its heartbeat).
    func saveWorker(_ worker: WorkerRecord) async throws
    func removeWorker(id: String) async throws
    /// Every registration, by kind then id.
    func workers() async throws -> [WorkerRecord]

    /// Appends bytes to a try's shipped log at `offset` (a chunk already stored at that offset is kept).
    func appendLogChunk(_ key: TryKey, offset: Int64, bytes: [UInt8]) async throws
    /// The shipped log of a try from byte `offset` on.
    func logChunks(_ key: TryKey, from offset: Int64) async throws -> [UInt8]
}

extension TaskQueueStore {
    public func completeAndClaim(
        _ results: [TryResult], worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws -> (refused: Set<TryKey>, claimed: [(QueuedTry, TryClaim)]) {
        let refused = try await completeTries(results, now: now)
        return (refused, try await claimTries(worker: worker, queues: queues, limit: limit, now: now, timeout: timeout))
    }

    /// Queues one try (see ``enqueueTries(_:)``).
    public func enqueueTry(_ entry: QueuedTry) async throws { try await enqueueTries([entry]) }

    /// Records one outcome; throws `claimLost` unless `claim` is the try's current claim.
    public func completeTry(_ claim: TryClaim, result: [UInt8], now: Date) async throws {
        if try await completeTries([TryResult(claim: claim, result: result)], now: now).contains(claim.key) {
            throw StoreError.claimLost(claim.key, worker: claim.worker)
        }
    }
}

/// A worker's outcome of a claimed try, with the last bytes of its log from `logOffset` on.
public struct TryResult: Sendable, Hashable {
    public var claim: TryClaim
    public var result: [UInt8]
    public var logOffset: Int64
    public var logTail: [UInt8]
    public init(claim: TryClaim, result: [UInt8], logOffset: Int64 = 0, logTail: [UInt8] = []) {
        self.claim = claim; self.result = result; self.logOffset = logOffset; self.logTail = logTail
    }
}

/// A store that can wake its readers when the queue changes (PostgreSQL's `LISTEN/NOTIFY`),
/// so that workers and run owners need not poll for every change.
public protocol QueueSignalling: Sendable {
    /// Signals of one channel: `QueueChannel.queued` carries the queue's name when a try is
    /// queued; `QueueChannel.finished` carries a ``FinishedSignal`` when a try is done or interrupted.
    /// `QueueChannel.listening` says the stream receives every signal sent from then on.
    func signals(_ channel: String) -> AsyncStream<String>
}

/// The channels of ``QueueSignalling``.
public enum QueueChannel {
    public static let queued = "updraft_try_queued"
    public static let finished = "updraft_try_finished"
    /// What a signal stream yields once it listens (at its start, and again after it reconnected):
    /// every signal sent from then on reaches it.
    public static let listening = ""
}

extension TryKey {
    /// The key as one line of text (fields joined by U+001F), as a finished signal carries it.
    public var signalText: String { [dagId, runId, taskId, String(tryNumber)].joined(separator: "\u{1F}") }

    /// The key from ``signalText``; nil for other text.
    public init?(signalText: String) {
        let parts = signalText.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let number = Int(parts[3]) else { return nil }
        self.init(dagId: parts[0], runId: parts[1], taskId: parts[2], tryNumber: number)
    }
}

/// What a finished try's signal says: its key, and its stored result when that is small enough to
/// travel with the signal (so the run's owner need not read it back).
public struct FinishedSignal: Sendable, Hashable {
    public var key: TryKey
    public var result: [UInt8]?

    /// Reads `TryKey.signalText`, optionally followed by U+001E and the result in base64.
    public init?(text: String) {
        let parts = text.split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
        guard let key = TryKey(signalText: String(parts[0])) else { return nil }
        self.key = key
        if parts.count == 2 {
            guard let data = Data(base64Encoded: String(parts[1]), options: .ignoreUnknownCharacters) else { return nil }
            result = Array(data)
        }
    }
}
