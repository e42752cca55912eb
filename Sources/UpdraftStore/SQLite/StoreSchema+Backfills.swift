import GRDB

extension StoreSchema {
    /// Backfills as rows the scheduler drives (Airflow 3's `backfill`, AIP-78), and the backfill
    /// each run belongs to. At most one backfill per DAG is active (not completed).
    static func backfills(_ db: Database) throws {
        try db.execute(
            sql: """
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
                    completed_at REAL);
                CREATE INDEX backfill_dag ON backfill(dag_id);
                CREATE UNIQUE INDEX backfill_active_dag ON backfill(dag_id) WHERE completed_at IS NULL;
                ALTER TABLE dag_run ADD COLUMN backfill_id INTEGER REFERENCES backfill(id) ON DELETE SET NULL;
                CREATE INDEX dag_run_backfill ON dag_run(backfill_id);
                """)
    }
}
