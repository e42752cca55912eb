// Generated from the migrations: do not edit. After adding a migration, run
// `UPDRAFT_WRITE_SCHEMA_SNAPSHOT=1 swift test --filter StoreSchemaSnapshotTests`.

extension StoreSchema {
    /// The schema the migrations leave on an empty file (see `SchemaSnapshot`).
    static let snapshot = SchemaSnapshot(
        migrations: [
            "2026-11-21-engine-v1",
            "2026-12-06-run-identity",
            "2026-12-06-assets-and-leases",
            "2026-12-06-backfills",
            "2026-12-06-api-entities",
            "2026-12-06-grid-index",
            "2026-12-07-notification-outbox",
            "2026-12-08-task-queue",
            "2026-12-11-task-instance-in-place-updates",
        ],
        statements: [
            [
                #"""
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)
                """#,
                #"""
                CREATE TABLE dag (
                    dag_id TEXT PRIMARY KEY NOT NULL,
                    is_paused INTEGER NOT NULL DEFAULT 0, last_scheduled_start REAL, last_scheduled_end REAL)
                """#,
                #"""
                CREATE TABLE slot_pool (
                    pool TEXT PRIMARY KEY NOT NULL,
                    slots INTEGER NOT NULL,
                    description TEXT NOT NULL DEFAULT '')
                """#,
                #"""
                CREATE TABLE scheduler_job (
                    pid INTEGER NOT NULL,
                    process_start INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    PRIMARY KEY (pid, process_start, host))
                """#,
                #"""
                CREATE TABLE dag_run (
                    id INTEGER PRIMARY KEY,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    run_type TEXT NOT NULL,
                    logical_date REAL NOT NULL,
                    data_interval_start REAL NOT NULL,
                    data_interval_end REAL NOT NULL,
                    queued_at REAL NOT NULL,
                    start_date REAL,
                    end_date REAL,
                    conf TEXT NOT NULL DEFAULT '{}', triggered_by TEXT NOT NULL DEFAULT 'cli', backfill_id INTEGER REFERENCES backfill(id) ON DELETE SET NULL, note TEXT, triggering_user_name TEXT, dag_version_id TEXT,
                    UNIQUE (dag_id, run_id))
                """#,
                #"""
                CREATE INDEX dag_run_dag_logical ON dag_run(dag_id, logical_date)
                """#,
                #"""
                CREATE INDEX dag_run_state ON dag_run(state)
                """#,
                #"""
                CREATE INDEX dag_run_run_id ON dag_run(run_id)
                """#,
                #"""
                CREATE TABLE task_instance (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    group_id TEXT,
                    state TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    failed_tries INTEGER NOT NULL,
                    max_tries INTEGER NOT NULL,
                    start_date REAL,
                    end_date REAL,
                    next_retry_at REAL,
                    pool TEXT NOT NULL,
                    pool_slots INTEGER NOT NULL,
                    priority_weight INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    error TEXT, queue TEXT NOT NULL DEFAULT 'default',
                    PRIMARY KEY (dag_id, run_id, task_id),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE task_instance_history (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    start_date REAL,
                    end_date REAL,
                    error TEXT,
                    PRIMARY KEY (dag_id, run_id, task_id, try_number),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE xcom (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value BLOB NOT NULL,
                    PRIMARY KEY (dag_id, run_id, task_id, key),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE factory_input (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    factory_id TEXT NOT NULL,
                    input BLOB NOT NULL,
                    PRIMARY KEY (dag_id, run_id, factory_id),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE run_lease (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    process_start INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    acquired_at REAL NOT NULL, heartbeat_at REAL, expires_at REAL, fencing_token INTEGER NOT NULL DEFAULT 1,
                    PRIMARY KEY (dag_id, run_id))
                """#,
                #"""
                CREATE TABLE run_fence (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    fencing_token INTEGER NOT NULL,
                    PRIMARY KEY (dag_id, run_id)) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE asset (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    uri TEXT NOT NULL UNIQUE,
                    "group" TEXT NOT NULL DEFAULT 'asset',
                    extra TEXT NOT NULL DEFAULT '{}',
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL)
                """#,
                #"""
                CREATE TABLE dag_schedule_asset_reference (
                    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                    dag_id TEXT NOT NULL,
                    PRIMARY KEY (asset_id, dag_id)) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE task_outlet_asset_reference (
                    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                    dag_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    PRIMARY KEY (asset_id, dag_id, task_id)) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE asset_event (
                    id INTEGER PRIMARY KEY,
                    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                    source_dag_id TEXT NOT NULL,
                    source_run_id TEXT NOT NULL,
                    source_task_id TEXT NOT NULL,
                    source_map_index INTEGER NOT NULL DEFAULT -1,
                    timestamp REAL NOT NULL,
                    extra TEXT NOT NULL DEFAULT '{}')
                """#,
                #"""
                CREATE INDEX asset_event_asset ON asset_event(asset_id, timestamp)
                """#,
                #"""
                CREATE INDEX asset_event_source ON asset_event(source_dag_id, source_run_id)
                """#,
                #"""
                CREATE TABLE asset_dag_run_queue (
                    event_id INTEGER NOT NULL REFERENCES asset_event(id) ON DELETE CASCADE,
                    target_dag_id TEXT NOT NULL,
                    PRIMARY KEY (target_dag_id, event_id)) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE dag_run_asset_event (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    event_id INTEGER NOT NULL REFERENCES asset_event(id) ON DELETE CASCADE,
                    PRIMARY KEY (dag_id, run_id, event_id),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE INDEX dag_run_asset_event_event ON dag_run_asset_event(event_id)
                """#,
                #"""
                CREATE TABLE backfill (
                    id INTEGER PRIMARY KEY,
                    dag_id TEXT NOT NULL,
                    from_date REAL NOT NULL,
                    to_date REAL NOT NULL,
                    run_backwards INTEGER NOT NULL DEFAULT 0,
                    dag_run_conf TEXT NOT NULL DEFAULT '{}',
                    reprocess_behavior TEXT NOT NULL DEFAULT 'none',
                    max_active_runs INTEGER NOT NULL DEFAULT 10,
                    is_paused INTEGER NOT NULL DEFAULT 0,
                    triggering_user_name TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    completed_at REAL)
                """#,
                #"""
                CREATE INDEX backfill_dag ON backfill(dag_id)
                """#,
                #"""
                CREATE UNIQUE INDEX backfill_active_dag ON backfill(dag_id) WHERE completed_at IS NULL
                """#,
                #"""
                CREATE INDEX dag_run_backfill ON dag_run(backfill_id)
                """#,
                #"""
                CREATE INDEX dag_run_start_date ON dag_run(start_date)
                """#,
                #"""
                CREATE INDEX dag_run_queued_at ON dag_run(queued_at)
                """#,
                #"""
                CREATE TABLE api_user (
                    username TEXT PRIMARY KEY NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    tokens_valid_after REAL)
                """#,
                #"""
                CREATE TABLE api_signing_key (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    key BLOB NOT NULL)
                """#,
                #"""
                CREATE TABLE variable (
                    key TEXT PRIMARY KEY NOT NULL,
                    val TEXT NOT NULL,
                    description TEXT)
                """#,
                #"""
                CREATE TABLE connection (
                    conn_id TEXT PRIMARY KEY NOT NULL,
                    conn_type TEXT NOT NULL,
                    description TEXT,
                    host TEXT,
                    schema TEXT,
                    login TEXT,
                    password TEXT,
                    port INTEGER,
                    extra TEXT)
                """#,
                #"""
                CREATE TABLE log (
                    id INTEGER PRIMARY KEY,
                    dttm REAL NOT NULL,
                    event TEXT NOT NULL,
                    owner TEXT,
                    dag_id TEXT,
                    run_id TEXT,
                    task_id TEXT,
                    try_number INTEGER,
                    map_index INTEGER,
                    logical_date REAL,
                    extra TEXT)
                """#,
                #"""
                CREATE INDEX log_dttm ON log(dttm)
                """#,
                #"""
                CREATE INDEX log_dag ON log(dag_id, dttm)
                """#,
                #"""
                CREATE INDEX log_event ON log(event)
                """#,
                #"""
                CREATE TABLE dag_version (
                    id TEXT PRIMARY KEY NOT NULL,
                    dag_id TEXT NOT NULL,
                    version_number INTEGER NOT NULL,
                    structure_hash TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE (dag_id, version_number))
                """#,
                #"""
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
                    UNIQUE (key, channel))
                """#,
                #"""
                CREATE INDEX notification_due ON notification(status, next_attempt_at)
                """#,
                #"""
                CREATE INDEX notification_run ON notification(dag_id, run_id)
                """#,
                #"""
                CREATE TABLE notification_attempt (
                    notification_id INTEGER NOT NULL REFERENCES notification(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    at REAL NOT NULL,
                    error TEXT,
                    PRIMARY KEY (notification_id, number))
                """#,
                #"""
                CREATE INDEX notification_attempt_channel ON notification_attempt(channel, at)
                """#,
                #"""
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
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE INDEX task_queue_claim ON task_queue(state, queue, priority DESC, enqueued_at)
                """#,
                #"""
                CREATE TABLE claim_sequence (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    last INTEGER NOT NULL)
                """#,
                #"""
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
                    heartbeat_at REAL NOT NULL)
                """#,
                #"""
                CREATE TABLE task_log_chunk (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    "offset" INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (dag_id, run_id, task_id, try_number, "offset"),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID
                """#,
                #"""
                CREATE INDEX task_instance_grid ON task_instance(dag_id, run_id, group_id)
                """#,
                #"""
                INSERT INTO "slot_pool" ("pool", "slots", "description") VALUES ('default_pool', 128, 'Default pool')
                """#,
                #"""
                INSERT INTO "claim_sequence" ("id", "last") VALUES (1, 0)
                """#,
            ]
        ].flatMap { $0 })
}
