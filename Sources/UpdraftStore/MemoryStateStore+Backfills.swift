import Foundation
import UpdraftCore

extension MemoryStateStore {
    public func createBackfill(_ backfill: BackfillRecord) async throws -> BackfillRecord {
        try contents.withLock { c in
            if let active = c.backfills.first(where: { $0.dagId == backfill.dagId && $0.isActive }) {
                throw StoreError.activeBackfill(dagId: backfill.dagId, id: active.id)
            }
            var created = backfill
            created.id = Int64(c.backfills.count + 1)
            c.backfills.append(created)
            return created
        }
    }

    public func backfill(id: Int64) async throws -> BackfillRecord? {
        contents.withLock { c in c.backfills.first { $0.id == id } }
    }

    public func backfills(dagId: String?, activeOnly: Bool) async throws -> [BackfillRecord] {
        contents.withLock { c in
            c.backfills.filter { (dagId == nil || $0.dagId == dagId) && (!activeOnly || $0.isActive) }
        }
    }

    public func updateBackfill(_ backfill: BackfillRecord) async throws {
        try contents.withLock { c in
            guard let index = c.backfills.firstIndex(where: { $0.id == backfill.id }) else {
                throw StoreError.unknownBackfill(backfill.id)
            }
            var updated = backfill
            updated.dagId = c.backfills[index].dagId
            updated.createdAt = c.backfills[index].createdAt
            c.backfills[index] = updated
        }
    }
}
