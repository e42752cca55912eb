import GRDB

extension StoreSchema {
    /// What the REST API manages: users and the token signing key, variables, connections, the
    /// audit log (Airflow's `log`), DAG versions; a run's note, triggering user and DAG version;
    /// indexes for the run listing's date filters.
    static func apiEntities(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE dag_run ADD COLUMN note TEXT;
                ALTER TABLE dag_run ADD COLUMN triggering_user_name TEXT;
                ALTER TABLE dag_run ADD COLUMN dag_version_id TEXT;
                CREATE INDEX dag_run_start_date ON dag_run(start_date);
                CREATE INDEX dag_run_queued_at ON dag_run(queued_at);
                CREATE TABLE api_user (
                    username TEXT PRIMARY KEY NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    tokens_valid_after REAL);
                CREATE TABLE api_signing_key (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    key BLOB NOT NULL);
                CREATE TABLE variable (
                    key TEXT PRIMARY KEY NOT NULL,
                    val TEXT NOT NULL,
                    description TEXT);
                CREATE TABLE connection (
                    conn_id TEXT PRIMARY KEY NOT NULL,
                    conn_type TEXT NOT NULL,
                    description TEXT,
                    host TEXT,
                    schema TEXT,
                    login TEXT,
                    password TEXT,
                    port INTEGER,
                    extra TEXT);
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
                    extra TEXT);
                CREATE INDEX log_dttm ON log(dttm);
                CREATE INDEX log_dag ON log(dag_id, dttm);
                CREATE INDEX log_event ON log(event);
                CREATE TABLE dag_version (
                    id TEXT PRIMARY KEY NOT NULL,
                    dag_id TEXT NOT NULL,
                    version_number INTEGER NOT NULL,
                    structure_hash TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE (dag_id, version_number));
                """)
    }
}
