import GRDB

/// Forward-only migrations of the state database; ids are strings and never change.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-21-engine-v1") { db in
            try db.execute(
                sql: """
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
        migrator.registerMigration("2026-12-06-run-identity") { db in
            // A run is (dag_id, run_id), as in Airflow: scheduled__<ts> repeats across DAGs.
            // The DAG row keeps its last scheduled interval, which retention cannot delete.
            try db.execute(
                sql: """
                    ALTER TABLE dag ADD COLUMN last_scheduled_start REAL;
                    ALTER TABLE dag ADD COLUMN last_scheduled_end REAL;
                    UPDATE dag SET (last_scheduled_start, last_scheduled_end) = (
                        SELECT data_interval_start, data_interval_end FROM dag_run
                        WHERE dag_run.dag_id = dag.dag_id AND run_type = 'scheduled'
                        ORDER BY data_interval_start DESC LIMIT 1);
                    DROP INDEX dag_run_dag_logical;
                    DROP INDEX dag_run_state;
                    ALTER TABLE dag_run RENAME TO old_dag_run;
                    ALTER TABLE task_instance RENAME TO old_task_instance;
                    ALTER TABLE task_instance_history RENAME TO old_task_instance_history;
                    ALTER TABLE xcom RENAME TO old_xcom;
                    ALTER TABLE factory_input RENAME TO old_factory_input;
                    ALTER TABLE run_lease RENAME TO old_run_lease;
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
                        conf TEXT NOT NULL DEFAULT '{}',
                        UNIQUE (dag_id, run_id));
                    CREATE INDEX dag_run_dag_logical ON dag_run(dag_id, logical_date);
                    CREATE INDEX dag_run_state ON dag_run(state);
                    CREATE INDEX dag_run_run_id ON dag_run(run_id);
                    INSERT INTO dag_run SELECT * FROM old_dag_run;
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
                        error TEXT,
                        PRIMARY KEY (dag_id, run_id, task_id),
                        FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                    INSERT INTO task_instance SELECT dag_id, run_id, task_id, group_id, state, try_number,
                        failed_tries, max_tries, start_date, end_date, next_retry_at, pool, pool_slots,
                        priority_weight, kind, error FROM old_task_instance;
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
                        FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                    INSERT INTO task_instance_history SELECT r.dag_id, h.run_id, h.task_id, h.try_number, h.state,
                        h.start_date, h.end_date, h.error FROM old_task_instance_history h JOIN old_dag_run r USING (run_id);
                    CREATE TABLE xcom (
                        dag_id TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        task_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value BLOB NOT NULL,
                        PRIMARY KEY (dag_id, run_id, task_id, key),
                        FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                    INSERT INTO xcom SELECT r.dag_id, x.run_id, x.task_id, x.key, x.value
                        FROM old_xcom x JOIN old_dag_run r USING (run_id);
                    CREATE TABLE factory_input (
                        dag_id TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        factory_id TEXT NOT NULL,
                        input BLOB NOT NULL,
                        PRIMARY KEY (dag_id, run_id, factory_id),
                        FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                    INSERT INTO factory_input SELECT r.dag_id, f.run_id, f.factory_id, f.input
                        FROM old_factory_input f JOIN old_dag_run r USING (run_id);
                    CREATE TABLE run_lease (
                        dag_id TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        process_start INTEGER NOT NULL,
                        host TEXT NOT NULL,
                        acquired_at REAL NOT NULL,
                        PRIMARY KEY (dag_id, run_id));
                    INSERT INTO run_lease SELECT r.dag_id, l.run_id, l.pid, l.process_start, l.host, l.acquired_at
                        FROM old_run_lease l JOIN old_dag_run r USING (run_id);
                    DROP TABLE old_task_instance;
                    DROP TABLE old_task_instance_history;
                    DROP TABLE old_xcom;
                    DROP TABLE old_factory_input;
                    DROP TABLE old_run_lease;
                    DROP TABLE old_dag_run;
                    """)
        }
        migrator.registerMigration("2026-12-06-assets-and-leases", migrate: assetsAndLeases)
        migrator.registerMigration("2026-12-06-backfills", migrate: backfills)
        migrator.registerMigration("2026-12-06-api-entities", migrate: apiEntities)
        // The web UI's grid rolls up a run's task instances by group and state: this index lets
        // SQLite stream the counts in order instead of sorting every instance (10× on 250,000).
        migrator.registerMigration("2026-12-06-grid-index") { db in
            try db.execute(sql: "CREATE INDEX task_instance_grid ON task_instance(dag_id, run_id, group_id, state)")
        }
        migrator.registerMigration("2026-12-07-notification-outbox", migrate: outbox)
        migrator.registerMigration("2026-12-08-task-queue", migrate: taskQueue)
        // A task instance's state changes in place (an upsert, see `SQLiteStateStore.upsert`): with
        // no changing column in an index, a change rewrites the row alone. The grid counts states
        // from the rows themselves (`SQLiteStateStore.groupStates`).
        migrator.registerMigration("2026-12-11-task-instance-in-place-updates") { db in
            try db.execute(
                sql: """
                    DROP INDEX task_instance_grid;
                    CREATE INDEX task_instance_grid ON task_instance(dag_id, run_id, group_id);
                    """)
        }
        return migrator
    }
}
