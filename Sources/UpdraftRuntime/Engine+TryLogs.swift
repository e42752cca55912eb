import Foundation
import UpdraftStore

extension Engine {
    /// The log of a try from byte `offset` on: this host's file when it ran here, else what its
    /// remote worker shipped to the store (empty when neither exists yet).
    public func tryLog(_ key: TryKey, from offset: Int) async throws -> [UInt8] {
        let path = home.existingLogPath(dagId: key.dagId, runId: key.runId, taskId: key.taskId, tryNumber: key.tryNumber)
        if let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }  // closing a file opened for reading cannot lose data
            try handle.seek(toOffset: UInt64(max(0, offset)))
            return Array(try handle.readToEnd() ?? Data())
        }
        return try await store.logChunks(key, from: Int64(max(0, offset)))
    }

    /// The size of a try's log as ``tryLog(_:from:)`` would read it (for reading only its tail).
    public func tryLogSize(_ key: TryKey) async throws -> Int {
        let path = home.existingLogPath(dagId: key.dagId, runId: key.runId, taskId: key.taskId, tryNumber: key.tryNumber)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber { return size.intValue }
        return try await store.logChunks(key, from: 0).count
    }
}
