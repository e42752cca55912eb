import GRDB

extension StoreSchema {
    /// The notification outbox: one row per message and channel (unique key per channel is the
    /// dedupe), its delivery state and claim, and one row per attempt.
    static func outbox(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE notification (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    event TEXT NOT NULL,
                    dag_id TEXT,
                    run_id TEXT,
                    title TEXT NOT NULL,
                    lines TEXT NOT NULL DEFAULT '[]',
                    items TEXT NOT NULL DEFAULT '[]',
                    status TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    sent_at REAL,
                    last_error TEXT,
                    claim_owner TEXT,
                    claim_until REAL,
                    UNIQUE (key, channel));
                CREATE INDEX notification_due ON notification(status, next_attempt_at);
                CREATE INDEX notification_run ON notification(dag_id, run_id);
                CREATE TABLE notification_attempt (
                    notification_id INTEGER NOT NULL REFERENCES notification(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    at REAL NOT NULL,
                    error TEXT,
                    PRIMARY KEY (notification_id, number));
                CREATE INDEX notification_attempt_channel ON notification_attempt(channel, at);
                """)
    }
}
