import GRDB

extension StoreSchema {
    /// The queue of tries for workers on other hosts (claims with a fencing token from one
    /// sequence), the registrations of workers and schedulers, and the logs workers ship.
    static func taskQueue(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE task_queue (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    queue TEXT NOT NULL,
                    priority INTEGER NOT NULL DEFAULT 1,
                    payload BLOB NOT NULL,
                    dag_hash TEXT NOT NULL,
                    enqueued_at REAL NOT NULL,
                    state TEXT NOT NULL DEFAULT 'queued',
                    worker TEXT,
                    claim_token INTEGER,
                    claimed_at REAL,
                    heartbeat_at REAL,
                    expires_at REAL,
                    finished_at REAL,
                    result BLOB,
                    reason TEXT,
                    PRIMARY KEY (dag_id, run_id, task_id, try_number),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                CREATE INDEX task_queue_claim ON task_queue(state, queue, priority DESC, enqueued_at);
                CREATE TABLE claim_sequence (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last INTEGER NOT NULL);
                INSERT INTO claim_sequence(id, last) VALUES (1, 0);
                CREATE TABLE worker (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    queues TEXT NOT NULL,
                    slots INTEGER NOT NULL,
                    running INTEGER NOT NULL,
                    version TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    heartbeat_at REAL NOT NULL);
                CREATE TABLE task_log_chunk (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    "offset" INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (dag_id, run_id, task_id, try_number, "offset"),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                """)
    }
}
