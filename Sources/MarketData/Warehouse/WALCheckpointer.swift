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
///
/// SQLite writes the WAL from its start again only when a write transaction begins with every
/// frame checkpointed. The writer of an import is never idle, so that moment never comes by
/// itself and the WAL would grow to the size of all it loads (a 10 GB import, a 10 GB WAL).
/// ``waitIfWALExceeds(bytes:)`` makes it come: between two files, once the WAL is past a limit,
/// the writer waits for the checkpoint it requested.
final class WALCheckpointer: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false
    private var checkpointing = false
    private var stopping = false
    private var running = true
    private var handle: OpaquePointer?
    /// Frames in the WAL when the last checkpoint ran, and whether it checkpointed them all (a
    /// reader of an old snapshot can hold some back: the WAL cannot start over then, so waiting
    /// would gain nothing).
    private var walFrames: Int32 = 0
    private var checkpointedAll = false
    private let pageSize: Int

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
        var statement: OpaquePointer?
        if sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &statement, nil) == SQLITE_OK, sqlite3_step(statement) == SQLITE_ROW {
            pageSize = Int(sqlite3_column_int64(statement, 0))
        } else {
            pageSize = 4096
        }
        sqlite3_finalize(statement)
        let thread = Thread { [self] in loop() }
        thread.name = "updraft-wal-checkpoint"
        thread.start()
    }

    /// Asks for a checkpoint of what is committed so far (requests made while one runs merge).
    func request() {
        condition.lock()
        pending = true
        condition.broadcast()
        condition.unlock()
    }

    /// Between two transactions of the writer: when the WAL was past `bytes` at the last
    /// checkpoint, waits until the requested checkpoint has run, so that the writer's next
    /// transaction starts the WAL over.
    func waitIfWALExceeds(bytes: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard checkpointedAll, Int(walFrames) * pageSize > bytes else { return }
        while pending || checkpointing { condition.wait() }
    }

    /// Runs a last requested checkpoint if any, stops the thread and closes its connection.
    func finish() {
        condition.lock()
        stopping = true
        condition.broadcast()
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
            checkpointing = true
            condition.unlock()
            // A checkpoint that fails leaves its pages in the WAL for the next one (this thread's,
            // or SQLite's automatic one once the import restored it): nothing is lost either way.
            var frames: Int32 = 0
            var done: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &done)
            condition.lock()
            // A failed one (another process checkpointing) leaves the last figures.
            if code == SQLITE_OK {
                walFrames = frames
                checkpointedAll = done == frames
            }
            checkpointing = false
            condition.broadcast()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
