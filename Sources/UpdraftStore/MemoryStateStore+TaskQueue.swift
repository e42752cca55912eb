import Foundation
import UpdraftCore

extension MemoryStateStore {
    public func enqueueTries(_ entries: [QueuedTry]) async throws {
        contents.withLock { $0.enqueue(entries) }
    }

    public func claimTries(
        worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws
        -> [(QueuedTry, TryClaim)]
    {
        contents.withLock { c in
            let waiting = c.taskQueue.values.filter { $0.state == .queued && queues.contains($0.entry.queue) }.sorted {
                ($0.entry.priority, $1.entry.enqueuedAt, $1.entry.key.taskId) > (
                    $1.entry.priority, $0.entry.enqueuedAt, $0.entry.key.taskId
                )
            }
            var claimed: [(QueuedTry, TryClaim)] = []
            for record in waiting.prefix(max(0, limit)) {
                c.lastClaimToken += 1
                var updated = record
                updated.state = .running; updated.worker = worker; updated.claimToken = c.lastClaimToken
                updated.claimedAt = now; updated.heartbeatAt = now; updated.expiresAt = now.addingTimeInterval(timeout)
                c.taskQueue[record.entry.key] = updated
                claimed.append((record.entry, TryClaim(key: record.entry.key, token: c.lastClaimToken, worker: worker)))
            }
            return claimed
        }
    }

    public func renewClaims(_ claims: [TryClaim], now: Date, timeout: TimeInterval) async throws -> [TryClaim] {
        contents.withLock { c in
            claims.filter { claim in
                guard let record = c.taskQueue[claim.key], record.state == .running, record.claimToken == claim.token else {
                    return false
                }
                c.taskQueue[claim.key]?.heartbeatAt = now
                c.taskQueue[claim.key]?.expiresAt = now.addingTimeInterval(timeout)
                return true
            }
        }
    }

    public func completeTries(_ results: [TryResult], now: Date) async throws -> Set<TryKey> {
        contents.withLock { c in
            var refused: Set<TryKey> = []
            for entry in results {
                let key = entry.claim.key
                if !entry.logTail.isEmpty, c.logChunks[key]?[entry.logOffset] == nil {
                    c.logChunks[key, default: [:]][entry.logOffset] = entry.logTail
                }
                guard let record = c.taskQueue[key], record.state == .running, record.claimToken == entry.claim.token else {
                    refused.insert(key)
                    continue
                }
                c.taskQueue[key]?.state = .done
                c.taskQueue[key]?.result = entry.result
                c.taskQueue[key]?.finishedAt = now
            }
            return refused
        }
    }

    public func queuedTry(_ key: TryKey) async throws -> QueuedTryRecord? {
        contents.withLock { $0.taskQueue[key] }
    }

    public func queuedTries(_ keys: [TryKey]) async throws -> [QueuedTryRecord] {
        contents.withLock { c in keys.compactMap { c.taskQueue[$0] } }
    }

    public func queuedTries(state: QueuedTryState?) async throws -> [QueuedTryRecord] {
        contents.withLock { c in
            c.taskQueue.values.filter { state == nil || $0.state == state }.sorted { $0.entry.enqueuedAt < $1.entry.enqueuedAt }
        }
    }

    public func interruptTry(_ key: TryKey, reason: String, now: Date, force: Bool) async throws -> Bool {
        contents.withLock { c in
            guard let record = c.taskQueue[key] else { return false }
            let expired = record.expiresAt.map { $0 < now } ?? false
            guard (record.state == .queued && force) || (record.state == .running && (expired || force)) else { return false }
            c.taskQueue[key]?.state = .interrupted
            c.taskQueue[key]?.reason = reason
            c.taskQueue[key]?.finishedAt = now
            return true
        }
    }

    public func pruneQueuedTries(finishedBefore date: Date) async throws -> Int {
        contents.withLock { c in
            let old = c.taskQueue.values.filter {
                ($0.state == .done || $0.state == .interrupted) && ($0.finishedAt.map { $0 < date } ?? false)
            }
            for record in old {
                c.taskQueue[record.entry.key] = nil
                c.logChunks[record.entry.key] = nil
            }
            return old.count
        }
    }

    public func saveWorker(_ worker: WorkerRecord) async throws { contents.withLock { $0.workers[worker.id] = worker } }

    public func removeWorker(id: String) async throws { _ = contents.withLock { $0.workers.removeValue(forKey: id) } }

    public func workers() async throws -> [WorkerRecord] {
        contents.withLock { c in c.workers.values.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) } }
    }

    public func appendLogChunk(_ key: TryKey, offset: Int64, bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        contents.withLock { c in
            if c.logChunks[key]?[offset] == nil { c.logChunks[key, default: [:]][offset] = bytes }
        }
    }

    public func logChunks(_ key: TryKey, from offset: Int64) async throws -> [UInt8] {
        let chunks = contents.withLock { c in (c.logChunks[key] ?? [:]).sorted { $0.key < $1.key } }
        return ShippedLog.assemble(chunks.map { (start: $0.key, bytes: $0.value) }, from: offset)
    }
}
