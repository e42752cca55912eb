import Foundation
import GRDB

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
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DatabaseError(resultCode: .SQLITE_CANTOPEN, message: "\(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw DatabaseError(resultCode: .SQLITE_IOERR, message: "\(lockPath): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(fd, LOCK_UN) }
        let pool = try DatabasePool(path: path, configuration: configuration)
        if try !pool.read({ db in try migrator.hasCompletedMigrations(db) }) { try migrator.migrate(pool) }
        return pool
    }
}
