import GRDB

/// Forward-only migrations of the state database; ids are strings and never change.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-21-engine-v1") { db in
            try db.execute(sql: """
                CREATE TABLE dag (
                    dag_id TEXT PRIMARY KEY NOT NULL,
                    is_paused INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE dag_run (
                    id INTEGER PRIMARY KEY,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL,
                    run_type TEXT NOT NULL,
                    logical_date REAL NOT NULL,
                    data_interval_start REAL NOT NULL,
                    data_interval_end REAL NOT NULL,
                    queued_at REAL NOT NULL,
                    start_date REAL,
                    end_date REAL,
                    conf TEXT NOT NULL DEFAULT '{}');
                CREATE INDEX dag_run_dag_logical ON dag_run(dag_id, logical_date);
                CREATE INDEX dag_run_state ON dag_run(state);
                CREATE TABLE task_instance (
                    run_id TEXT NOT NULL REFERENCES dag_run(run_id) ON DELETE CASCADE,
                    task_id TEXT NOT NULL,
                    dag_id TEXT NOT NULL,
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
                    error TEXT,
                    PRIMARY KEY (run_id, task_id)) WITHOUT ROWID;
                CREATE TABLE task_instance_history (
                    run_id TEXT NOT NULL REFERENCES dag_run(run_id) ON DELETE CASCADE,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    start_date REAL,
                    end_date REAL,
                    error TEXT,
                    PRIMARY KEY (run_id, task_id, try_number)) WITHOUT ROWID;
                CREATE TABLE xcom (
                    run_id TEXT NOT NULL REFERENCES dag_run(run_id) ON DELETE CASCADE,
                    task_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value BLOB NOT NULL,
                    PRIMARY KEY (run_id, task_id, key)) WITHOUT ROWID;
                CREATE TABLE factory_input (
                    run_id TEXT NOT NULL REFERENCES dag_run(run_id) ON DELETE CASCADE,
                    factory_id TEXT NOT NULL,
                    input BLOB NOT NULL,
                    PRIMARY KEY (run_id, factory_id)) WITHOUT ROWID;
                CREATE TABLE slot_pool (
                    pool TEXT PRIMARY KEY NOT NULL,
                    slots INTEGER NOT NULL,
                    description TEXT NOT NULL DEFAULT '');
                INSERT INTO slot_pool(pool, slots, description) VALUES ('default_pool', 128, 'Default pool');
                CREATE TABLE run_lease (
                    run_id TEXT PRIMARY KEY NOT NULL,
                    pid INTEGER NOT NULL,
                    process_start INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    acquired_at REAL NOT NULL);
                CREATE TABLE scheduler_job (
                    pid INTEGER NOT NULL,
                    process_start INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    PRIMARY KEY (pid, process_start, host));
                """)
        }
        return migrator
    }
}
