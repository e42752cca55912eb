import GRDB

extension StoreSchema {
    /// Run types and triggers, task queues, leases with a heartbeat and a fencing token, assets,
    /// their events, the per-DAG queue of events not yet consumed and the run ↔ event link.
    static func assetsAndLeases(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE dag_run ADD COLUMN triggered_by TEXT NOT NULL DEFAULT 'cli';
                UPDATE dag_run SET triggered_by = CASE run_type
                    WHEN 'scheduled' THEN 'timetable' WHEN 'backfill' THEN 'backfill' ELSE 'cli' END;
                ALTER TABLE task_instance ADD COLUMN queue TEXT NOT NULL DEFAULT 'default';
                ALTER TABLE run_lease ADD COLUMN heartbeat_at REAL;
                ALTER TABLE run_lease ADD COLUMN expires_at REAL;
                ALTER TABLE run_lease ADD COLUMN fencing_token INTEGER NOT NULL DEFAULT 1;
                UPDATE run_lease SET heartbeat_at = acquired_at;
                CREATE TABLE run_fence (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    fencing_token INTEGER NOT NULL,
                    PRIMARY KEY (dag_id, run_id)) WITHOUT ROWID;
                INSERT INTO run_fence SELECT dag_id, run_id, fencing_token FROM run_lease;
                CREATE TABLE asset (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    uri TEXT NOT NULL UNIQUE,
                    "group" TEXT NOT NULL DEFAULT 'asset',
                    extra TEXT NOT NULL DEFAULT '{}',
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL);
                CREATE TABLE dag_schedule_asset_reference (
                    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                    dag_id TEXT NOT NULL,
                    PRIMARY KEY (asset_id, dag_id)) WITHOUT ROWID;
                CREATE TABLE task_outlet_asset_reference (
                    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                    dag_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    PRIMARY KEY (asset_id, dag_id, task_id)) WITHOUT ROWID;
                CREATE TABLE asset_event (
                    id INTEGER PRIMARY KEY,
                    asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                    source_dag_id TEXT NOT NULL,
                    source_run_id TEXT NOT NULL,
                    source_task_id TEXT NOT NULL,
                    source_map_index INTEGER NOT NULL DEFAULT -1,
                    timestamp REAL NOT NULL,
                    extra TEXT NOT NULL DEFAULT '{}');
                CREATE INDEX asset_event_asset ON asset_event(asset_id, timestamp);
                CREATE INDEX asset_event_source ON asset_event(source_dag_id, source_run_id);
                CREATE TABLE asset_dag_run_queue (
                    event_id INTEGER NOT NULL REFERENCES asset_event(id) ON DELETE CASCADE,
                    target_dag_id TEXT NOT NULL,
                    PRIMARY KEY (target_dag_id, event_id)) WITHOUT ROWID;
                CREATE TABLE dag_run_asset_event (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    event_id INTEGER NOT NULL REFERENCES asset_event(id) ON DELETE CASCADE,
                    PRIMARY KEY (dag_id, run_id, event_id),
                    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run(dag_id, run_id) ON DELETE CASCADE) WITHOUT ROWID;
                CREATE INDEX dag_run_asset_event_event ON dag_run_asset_event(event_id);
                """)
    }
}
