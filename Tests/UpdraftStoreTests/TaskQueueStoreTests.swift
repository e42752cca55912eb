import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// The queue between runs' owners and remote workers, on every store.
@Suite struct TaskQueueStoreTests {
    static let t0 = StateStoreTests.t0

    static func entry(
        _ task: String, try number: Int = 1, queue: String = "default", priority: Int = 1, at offset: TimeInterval = 0
    )
        -> QueuedTry
    {
        QueuedTry(
            key: TryKey(dagId: "etl", runId: "r1", taskId: task, tryNumber: number), queue: queue, priority: priority,
            payload: Array("{\"task\":\"\(task)\"}".utf8), dagHash: "hash-1", enqueuedAt: t0.addingTimeInterval(offset))
    }

    static func storeWithRun(_ kind: StoreKind) async throws -> any StateStore {
        let store = try await kind.make()
        try await store.createRun(StateStoreTests.run("r1"), instances: [])
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func claimsFollowPriorityThenAgeNeverOverlapAndCarryGrowingTokens(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        try await store.enqueueTry(Self.entry("a", at: 1))
        try await store.enqueueTry(Self.entry("b", at: 2))
        try await store.enqueueTry(Self.entry("c", priority: 5, at: 3))
        try await store.enqueueTry(Self.entry("w", queue: "warehouse", at: 0))
        // Enqueueing again keeps the row (the owner may repeat itself after a crash).
        try await store.enqueueTry(Self.entry("a", at: 9))

        let first = try await store.claimTries(worker: "w1", queues: ["default"], limit: 2, now: Self.t0, timeout: 30)
        #expect(first.map(\.0.key.taskId) == ["c", "a"])
        let second = try await store.claimTries(worker: "w2", queues: ["default", "gpu"], limit: 5, now: Self.t0, timeout: 30)
        #expect(second.map(\.0.key.taskId) == ["b"])
        let tokens = (first + second).map(\.1.token)
        #expect(Set(tokens).count == 3 && tokens == tokens.sorted())
        #expect(try await store.claimTries(worker: "w3", queues: ["default"], limit: 5, now: Self.t0, timeout: 30).isEmpty)
        let warehouse = try await store.claimTries(worker: "w3", queues: ["warehouse"], limit: 5, now: Self.t0, timeout: 30)
        #expect(warehouse.map(\.0.key.taskId) == ["w"])
        #expect(warehouse[0].0.payload == Array("{\"task\":\"w\"}".utf8) && warehouse[0].0.dagHash == "hash-1")

        let record = try #require(try await store.queuedTry(Self.entry("a").key))
        #expect(record.state == .running && record.worker == "w1" && record.expiresAt == Self.t0.addingTimeInterval(30))
        #expect(try await store.queuedTries(state: .running).count == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func onlyTheCurrentClaimIsRenewedAndCompletedAndAnExpiredClaimIsInterruptedForGood(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        try await store.enqueueTry(Self.entry("a"))
        try await store.enqueueTry(Self.entry("b"))
        let claims = try await store.claimTries(worker: "w1", queues: ["default"], limit: 2, now: Self.t0, timeout: 30).map(\.1)
        let (a, b) = (claims.first { $0.key.taskId == "a" }!, claims.first { $0.key.taskId == "b" }!)

        // Not expired: the owner cannot interrupt it unless it forces (its run was cancelled).
        #expect(try await store.interruptTry(a.key, reason: "lost", now: Self.t0.addingTimeInterval(10), force: false) == false)
        #expect(try await store.renewClaims([a, b], now: Self.t0.addingTimeInterval(20), timeout: 30) == [a, b])
        // a's worker goes quiet past its renewed expiry (50 s): interrupted, then every late word refused.
        #expect(try await store.interruptTry(a.key, reason: "w1 stopped heartbeating", now: Self.t0.addingTimeInterval(51), force: false))
        #expect(try await store.renewClaims([a, b], now: Self.t0.addingTimeInterval(52), timeout: 30) == [b])
        await #expect(throws: StoreError.claimLost(a.key, worker: "w1")) {
            try await store.completeTry(a, result: [1], now: Self.t0.addingTimeInterval(53))
        }
        let interrupted = try #require(try await store.queuedTry(a.key))
        #expect(interrupted.state == .interrupted && interrupted.reason == "w1 stopped heartbeating" && interrupted.result == nil)

        // A forged token is refused too; the real one lands once.
        let forged = TryClaim(key: b.key, token: b.token + 100, worker: "w1")
        await #expect(throws: StoreError.claimLost(b.key, worker: "w1")) { try await store.completeTry(forged, result: [9], now: Self.t0) }
        try await store.completeTry(b, result: [7, 7], now: Self.t0.addingTimeInterval(54))
        await #expect(throws: StoreError.claimLost(b.key, worker: "w1")) {
            try await store.completeTry(b, result: [8], now: Self.t0.addingTimeInterval(55))
        }
        let done = try #require(try await store.queuedTry(b.key))
        #expect(done.state == .done && done.result == [7, 7] && done.finishedAt == Self.t0.addingTimeInterval(54))
        // A finished try cannot be interrupted any more, even by force.
        #expect(try await store.interruptTry(b.key, reason: "late", now: Self.t0.addingTimeInterval(99), force: true) == false)

        // A try still waiting is taken off the queue only by force (its run was cancelled).
        try await store.enqueueTry(Self.entry("c"))
        #expect(try await store.interruptTry(Self.entry("c").key, reason: "x", now: Self.t0, force: false) == false)
        #expect(try await store.interruptTry(Self.entry("c").key, reason: "run cancelled", now: Self.t0, force: true))
        #expect(try await store.claimTries(worker: "w2", queues: ["default"], limit: 5, now: Self.t0, timeout: 30).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func shippedLogsAssembleFromAnyOffsetAndFinishedRowsArePruned(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        let key = Self.entry("a").key
        try await store.enqueueTry(Self.entry("a"))
        try await store.appendLogChunk(key, offset: 0, bytes: Array("hello ".utf8))
        try await store.appendLogChunk(key, offset: 6, bytes: Array("world\n".utf8))
        // A chunk shipped twice (the worker retried after a lost answer) is kept once.
        try await store.appendLogChunk(key, offset: 6, bytes: Array("world\n".utf8))
        #expect(String(decoding: try await store.logChunks(key, from: 0), as: UTF8.self) == "hello world\n")
        #expect(String(decoding: try await store.logChunks(key, from: 8), as: UTF8.self) == "rld\n")
        #expect(try await store.logChunks(key, from: 12).isEmpty)
        #expect(try await store.logChunks(Self.entry("zzz").key, from: 0).isEmpty)

        let claim = try await store.claimTries(worker: "w", queues: ["default"], limit: 1, now: Self.t0, timeout: 30)[0].1
        try await store.completeTry(claim, result: [1], now: Self.t0.addingTimeInterval(5))
        #expect(try await store.pruneQueuedTries(finishedBefore: Self.t0.addingTimeInterval(5)) == 0)
        #expect(try await store.pruneQueuedTries(finishedBefore: Self.t0.addingTimeInterval(6)) == 1)
        #expect(try await store.queuedTry(key) == nil)
        #expect(try await store.logChunks(key, from: 0).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func deletingARunDeletesItsQueueRowsAndLogs(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        try await store.enqueueTry(Self.entry("a"))
        try await store.appendLogChunk(Self.entry("a").key, offset: 0, bytes: [65])
        #expect(try await store.deleteRun(StateStoreTests.key("r1")))
        #expect(try await store.queuedTries(state: nil).isEmpty)
        #expect(try await store.logChunks(Self.entry("a").key, from: 0).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func workersRegisterRenewAndLeave(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let worker = WorkerRecord(
            id: "h1:10:77", kind: "worker", host: "h1", pid: 10, queues: ["default", "warehouse"], slots: 4, running: 0,
            version: "0.9.0", startedAt: Self.t0, heartbeatAt: Self.t0)
        let scheduler = WorkerRecord(
            id: "h2:11:78", kind: "scheduler", host: "h2", pid: 11, queues: [], slots: 8, running: 2, version: "0.9.0",
            startedAt: Self.t0, heartbeatAt: Self.t0)
        try await store.saveWorker(worker)
        try await store.saveWorker(scheduler)
        var renewed = worker
        renewed.running = 3
        renewed.heartbeatAt = Self.t0.addingTimeInterval(10)
        try await store.saveWorker(renewed)
        #expect(try await store.workers() == [scheduler, renewed])
        try await store.removeWorker(id: worker.id)
        #expect(try await store.workers() == [scheduler])
    }

    @Test(arguments: StoreKind.allCases)
    func resultsCompletedTogetherApplyOnlyCurrentClaimsAndKeepEveryLogTail(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        for task in ["a", "b"] { try await store.enqueueTry(Self.entry(task)) }
        let claims = try await store.claimTries(worker: "w", queues: ["default"], limit: 2, now: Self.t0, timeout: 30).map(\.1)
        let (a, b) = (claims.first { $0.key.taskId == "a" }!, claims.first { $0.key.taskId == "b" }!)
        #expect(try await store.interruptTry(b.key, reason: "given up", now: Self.t0, force: true))
        let refused = try await store.completeTries(
            [
                TryResult(claim: a, result: [1], logOffset: 0, logTail: Array("a done\n".utf8)),
                TryResult(claim: b, result: [2], logOffset: 4, logTail: Array("late\n".utf8)),
            ], now: Self.t0.addingTimeInterval(1))
        #expect(refused == [b.key])
        let (doneA, cutB) = (try await store.queuedTry(a.key), try await store.queuedTry(b.key))
        #expect(doneA?.state == .done && doneA?.result == [1])
        #expect(cutB?.state == .interrupted && cutB?.result == nil)
        #expect(String(decoding: try await store.logChunks(a.key, from: 0), as: UTF8.self) == "a done\n")
        // A tail that starts past a gap is stored but not read as part of the log.
        #expect(try await store.logChunks(b.key, from: 0).isEmpty)
    }

    /// A worker reports what ended and claims what it has room for in one write.
    @Test(arguments: StoreKind.allCases)
    func aWorkerReportsWhatEndedAndClaimsWhatItHasRoomForInOneWrite(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        for (task, offset) in [("a", 1.0), ("b", 2), ("c", 3)] { try await store.enqueueTry(Self.entry(task, at: offset)) }
        let a = try #require(try await store.claimTries(worker: "w", queues: ["default"], limit: 1, now: Self.t0, timeout: 30).first?.1)
        #expect(a.key.taskId == "a")
        let later = Self.t0.addingTimeInterval(1)
        let (refused, claimed) = try await store.completeAndClaim(
            [TryResult(claim: a, result: [7], logOffset: 0, logTail: Array("a\n".utf8))], worker: "w", queues: ["default"],
            limit: 5, now: later, timeout: 30)
        #expect(refused.isEmpty)
        #expect(claimed.map(\.0.key.taskId) == ["b", "c"])
        #expect(claimed.map(\.1.token).allSatisfy { $0 > a.token } && claimed.allSatisfy { $0.1.worker == "w" })
        let doneA = try await store.queuedTry(a.key)
        #expect(doneA?.state == .done && doneA?.result == [7])
        #expect(String(decoding: try await store.logChunks(a.key, from: 0), as: UTF8.self) == "a\n")
        #expect(try await store.queuedTry(Self.entry("c").key)?.expiresAt == later.addingTimeInterval(30))

        // A result under a claim that no longer holds is refused; with no room, nothing is claimed.
        try await store.enqueueTry(Self.entry("d", at: 4))
        let b = try #require(claimed.first?.1)
        let again = try await store.completeAndClaim(
            [TryResult(claim: a, result: [8]), TryResult(claim: b, result: [9])], worker: "w", queues: ["default"], limit: 0,
            now: later, timeout: 30)
        #expect(again.refused == [a.key] && again.claimed.isEmpty)
        #expect(try await store.queuedTry(a.key)?.result == [7])
        #expect(try await store.queuedTry(b.key)?.state == .done)
        #expect(try await store.queuedTry(Self.entry("d").key)?.state == .queued)
    }

    /// A run's owner queues its remote tries in the commit that records them running: under its
    /// lease both land; after a takeover neither does.
    @Test(arguments: StoreKind.allCases)
    func aFencedCommitQueuesItsTriesWithItsWritesOrNotAtAll(_ kind: StoreKind) async throws {
        let store = try await Self.storeWithRun(kind)
        let run = RunKey("etl", "r1")
        let (me, other) = (ProcessIdentity(pid: 10, startTime: 1, host: "h"), ProcessIdentity(pid: 11, startTime: 1, host: "h"))
        let mine = try #require(
            try await store.acquireLease(run: run, owner: me, now: Self.t0, timeout: 30, isAlive: { _ in true }).token)
        var batch = StateBatch()
        batch.fence = mine
        batch.instances = [TaskInstance(runId: "r1", dagId: "etl", taskId: "a", state: .running, tryNumber: 1)]
        batch.queuedTries = [Self.entry("a", queue: "remote"), Self.entry("b", queue: "remote", priority: 3)]
        try await store.commit(batch)
        #expect(try await store.taskInstances(run: run).first { $0.taskId == "a" }?.state == .running)
        let queued = try await store.queuedTries(state: .queued)
        #expect(Set(queued.map(\.entry.key.taskId)) == ["a", "b"])
        #expect(queued.first { $0.entry.key.taskId == "b" }?.entry == Self.entry("b", queue: "remote", priority: 3))
        // The same commit again (an owner repeating itself) keeps the rows.
        _ = try await store.claimTries(worker: "w", queues: ["remote"], limit: 1, now: Self.t0, timeout: 30)
        try await store.commit(batch)
        #expect(try await store.queuedTry(Self.entry("b").key)?.state == .running)

        _ = try await store.acquireLease(run: run, owner: other, now: Self.t0, timeout: 30, isAlive: { _ in false })
        var late = StateBatch()
        late.fence = mine
        late.instances = [TaskInstance(runId: "r1", dagId: "etl", taskId: "c", state: .running, tryNumber: 1)]
        late.queuedTries = [Self.entry("c", queue: "remote")]
        await #expect(throws: StoreError.leaseLost(run, me)) { try await store.commit(late) }
        #expect(try await store.queuedTry(Self.entry("c").key) == nil)
        #expect(try await store.taskInstances(run: run).contains { $0.taskId == "c" } == false)
    }

    @Test func aFinishedSignalCarriesItsKeyAndMaybeItsResult() {
        let key = TryKey(dagId: "etl", runId: "manual__2024", taskId: "fan.t_1", tryNumber: 3)
        #expect(FinishedSignal(text: key.signalText) == FinishedSignal(text: key.signalText))
        #expect(FinishedSignal(text: key.signalText)?.key == key && FinishedSignal(text: key.signalText)?.result == nil)
        // PostgreSQL's encode(…, 'base64') breaks lines every 76 characters.
        let bytes = Array(repeating: UInt8(7), count: 120)
        let base64 = Data(bytes).base64EncodedString(options: .lineLength76Characters)
        let signal = FinishedSignal(text: key.signalText + "\u{1E}" + base64)
        #expect(signal?.key == key && signal?.result == bytes)
        #expect(FinishedSignal(text: "not a key") == nil)
    }

    @Test func shippedLogChunksOverlappingOrWithAGapAssembleOnlyWhatIsContiguous() {
        let chunks: [(start: Int64, bytes: [UInt8])] = [(0, [1, 2, 3]), (2, [3, 4]), (4, [5]), (9, [9])]
        #expect(ShippedLog.assemble(chunks, from: 0) == [1, 2, 3, 4, 5])
        #expect(ShippedLog.assemble(chunks, from: 3) == [4, 5])
        #expect(ShippedLog.assemble(chunks, from: 7).isEmpty)
    }
}
