import CUpdraftSystem
import Foundation
import GRDB
import UpdraftStore

#if canImport(Glibc)
import Glibc
#endif

extension MarketDatabase {
    /// Opens the pool and migrates it while holding an exclusive `flock` on `<path>-open-lock`.
    /// Worker processes open `market.db` at once on a fresh home (the first runs of several DAGs):
    /// two migrators that both found a migration missing both applied it, and the second failed
    /// (`duplicate column name`). The later opener now finds the file migrated.
    static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        let lockPath = path + "-open-lock"
        let fd = updraft_lock_file(lockPath)
        guard fd >= 0 else {
            throw DatabaseError(resultCode: .SQLITE_CANTOPEN, message: "\(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }  // releases the lock
        let pool = try DatabasePool(path: path, configuration: configuration)
        if try !pool.read({ db in try migrator.hasCompletedMigrations(db) }),
            try !schemaSnapshot.applyIfEmpty(to: pool, migrator: migrator)
        {
            try migrator.migrate(pool)
        }
        return pool
    }
}
