import Foundation
import GRDB
import GRDBSQLite

/// Checkpoints a WAL database on a thread of its own while a bulk load writes it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses `wal_autocheckpoint` and
/// waits there for two `fdatasync`s: during an import the insert thread, the critical path,
/// stood still for about 40 ms every 16 MB of WAL. The loader turns the automatic checkpoint off
/// on its connection and calls ``request()`` after each commit; this thread runs a PASSIVE
/// checkpoint (it never blocks the writer) on a connection of its own. Durability is unchanged:
/// a commit is in the WAL either way.
final class WALCheckpointer: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false
    private var stopping = false
    private var running = true
    private var handle: OpaquePointer?

    /// Opens its connection to `path` and starts its thread; nil when the file cannot be opened
    /// (the loader then keeps SQLite's automatic checkpoint).
    init?(path: String) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            sqlite3_close(db)
            return nil
        }
        sqlite3_busy_timeout(db, 10_000)
        // A connection that has read nothing has not opened the WAL yet: its checkpoints do nothing.
        guard sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close(db)
            return nil
        }
        handle = db
        let thread = Thread { [self] in loop() }
        thread.name = "updraft-wal-checkpoint"
        thread.start()
    }

    /// Asks for a checkpoint of what is committed so far (requests made while one runs merge).
    func request() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Runs a last requested checkpoint if any, stops the thread and closes its connection.
    func finish() {
        condition.lock()
        stopping = true
        condition.signal()
        while running { condition.wait() }
        condition.unlock()
        sqlite3_close(handle)
    }

    private func loop() {
        condition.lock()
        while true {
            while !pending && !stopping { condition.wait() }
            if !pending { break }
            pending = false
            condition.unlock()
            // A checkpoint that fails leaves its pages in the WAL for the next one (this thread's,
            // or SQLite's automatic one once the import restored it): nothing is lost either way.
            _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            condition.lock()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
