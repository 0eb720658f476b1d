import GRDB

extension HistoryStore {
    /// Versioned schema. Never edit a registered migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            func usageTable(_ name: String) -> String {
                """
                CREATE TABLE \(name) (
                    container_id INTEGER NOT NULL REFERENCES containers(id),
                    resource INTEGER NOT NULL,
                    bucket_start INTEGER NOT NULL,
                    samples INTEGER NOT NULL,
                    mean REAL NOT NULL,
                    max REAL NOT NULL,
                    first_ms INTEGER NOT NULL,
                    last_ms INTEGER NOT NULL,
                    PRIMARY KEY (container_id, resource, bucket_start)
                ) WITHOUT ROWID;
                """
            }
            try db.execute(sql: """
                CREATE TABLE containers (
                    id INTEGER PRIMARY KEY,
                    cluster TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    workload TEXT NOT NULL,
                    container TEXT NOT NULL,
                    UNIQUE (cluster, namespace, kind, workload, container)
                );
                -- Per-pod usage of a container in 5-minute buckets (usage_5m) and, once older than
                -- the retention window, hourly ones (usage_1h). resource: 0 = CPU millicores,
                -- 1 = memory working-set bytes. first_ms/last_ms bound the samples, so partial
                -- buckets from two imports merge only when their samples are disjoint.
                \(usageTable("usage_5m"))
                \(usageTable("usage_1h"))
                -- Declared state of a container, one row per observed change.
                CREATE TABLE inventory (
                    container_id INTEGER NOT NULL REFERENCES containers(id),
                    observed_at INTEGER NOT NULL,
                    cpu_request_millicores INTEGER,
                    memory_request_bytes INTEGER,
                    cpu_limit_millicores INTEGER,
                    memory_limit_bytes INTEGER,
                    replicas INTEGER,
                    node_pool TEXT,
                    zone TEXT,
                    hpa_min_replicas INTEGER,
                    hpa_max_replicas INTEGER,
                    hpa_target_cpu_percent INTEGER,
                    hpa_target_memory_percent INTEGER,
                    PRIMARY KEY (container_id, observed_at)
                ) WITHOUT ROWID;
                CREATE TABLE events (
                    container_id INTEGER NOT NULL REFERENCES containers(id),
                    pod TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    memory_bytes INTEGER,
                    PRIMARY KEY (container_id, pod, time, kind)
                ) WITHOUT ROWID;
                CREATE TABLE watermarks (
                    source TEXT PRIMARY KEY,
                    watermark INTEGER NOT NULL
                );
                -- Buckets older than rollup_horizon exist only hourly; ingest skips 5-minute
                -- buckets before it so a re-import cannot count them twice.
                CREATE TABLE store_state (
                    key TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-cluster-objects") { db in
            try db.execute(sql: """
                -- Cluster objects of each Kubernetes inventory snapshot, keyed by snapshot time.
                CREATE TABLE nodes (
                    observed_at INTEGER NOT NULL,
                    cluster TEXT NOT NULL,
                    name TEXT NOT NULL,
                    node_pool TEXT,
                    zone TEXT,
                    instance_type TEXT,
                    cpu_allocatable_millicores INTEGER,
                    memory_allocatable_bytes INTEGER,
                    cpu_capacity_millicores INTEGER,
                    memory_capacity_bytes INTEGER,
                    PRIMARY KEY (cluster, observed_at, name)
                ) WITHOUT ROWID;
                CREATE TABLE resource_quotas (
                    observed_at INTEGER NOT NULL,
                    cluster TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    hard TEXT NOT NULL,
                    used TEXT,
                    PRIMARY KEY (cluster, observed_at, namespace, name, resource)
                ) WITHOUT ROWID;
                CREATE TABLE limit_ranges (
                    observed_at INTEGER NOT NULL,
                    cluster TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    default_limit TEXT,
                    default_request TEXT,
                    min TEXT,
                    max TEXT,
                    PRIMARY KEY (cluster, observed_at, namespace, name, type, resource)
                ) WITHOUT ROWID;
                CREATE TABLE vpas (
                    observed_at INTEGER NOT NULL,
                    cluster TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    target_kind TEXT NOT NULL,
                    target_name TEXT NOT NULL,
                    update_mode TEXT,
                    PRIMARY KEY (cluster, observed_at, namespace, name)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-inventory-annotations") { db in
            // headroom.io/* annotations of the workload, as a JSON object (NULL when none).
            try db.execute(sql: "ALTER TABLE inventory ADD COLUMN annotations TEXT")
        }
        migrator.registerMigration("v4-costs") { db in
            try db.execute(sql: """
                -- Allocated cost per container and UTC day (micro-dollars; all replicas together).
                CREATE TABLE cost_daily (
                    day INTEGER NOT NULL,
                    container_id INTEGER NOT NULL REFERENCES containers(id),
                    pool TEXT,
                    cpu_microdollars INTEGER NOT NULL,
                    ram_microdollars INTEGER NOT NULL,
                    PRIMARY KEY (day, container_id)
                ) WITHOUT ROWID;
                -- Node cost and idle (capacity not allocated) per node pool and UTC day.
                CREATE TABLE pool_cost_daily (
                    day INTEGER NOT NULL,
                    pool TEXT NOT NULL,
                    node_microdollars INTEGER NOT NULL,
                    idle_cpu_microdollars INTEGER NOT NULL,
                    idle_ram_microdollars INTEGER NOT NULL,
                    hours INTEGER NOT NULL,
                    node_hours INTEGER NOT NULL,
                    PRIMARY KEY (day, pool)
                ) WITHOUT ROWID;
                -- Every reclamation plan Headroom produced: when, for whom, from what, and what it proposed.
                CREATE TABLE reclaim_audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at INTEGER NOT NULL,
                    user TEXT NOT NULL,
                    command TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    items INTEGER NOT NULL,
                    monthly_saving_microdollars INTEGER NOT NULL,
                    plan TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v5-volumes-labels") { db in
            try db.execute(sql: """
                -- PersistentVolumes of each snapshot, with the workload that mounts their claim.
                CREATE TABLE volumes (
                    observed_at INTEGER NOT NULL,
                    cluster TEXT NOT NULL,
                    name TEXT NOT NULL,
                    storage_class TEXT,
                    capacity_bytes INTEGER NOT NULL,
                    phase TEXT NOT NULL,
                    claim_namespace TEXT,
                    claim_name TEXT,
                    workload_namespace TEXT,
                    workload_kind TEXT,
                    workload_name TEXT,
                    PRIMARY KEY (cluster, observed_at, name)
                ) WITHOUT ROWID;
                -- Workload labels (pod template labels but the controller's hashes), JSON; NULL when none.
                ALTER TABLE inventory ADD COLUMN labels TEXT;
                -- Persistent volume cost of the container's workload (charged to its first container).
                ALTER TABLE cost_daily ADD COLUMN pv_microdollars INTEGER NOT NULL DEFAULT 0;
                -- Cost of volumes no workload uses, per UTC day.
                CREATE TABLE unattached_volume_cost_daily (
                    day INTEGER NOT NULL,
                    volume TEXT NOT NULL,
                    microdollars INTEGER NOT NULL,
                    PRIMARY KEY (day, volume)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6-cluster-costs") { db in
            // Pool and unattached-volume costs are per cluster: two clusters may both have a
            // "backend" pool. Rows stored before belong to the store's (first) cluster.
            try db.execute(sql: """
                CREATE TABLE pool_cost_daily_v6 (
                    cluster TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    pool TEXT NOT NULL,
                    node_microdollars INTEGER NOT NULL,
                    idle_cpu_microdollars INTEGER NOT NULL,
                    idle_ram_microdollars INTEGER NOT NULL,
                    hours INTEGER NOT NULL,
                    node_hours INTEGER NOT NULL,
                    PRIMARY KEY (cluster, day, pool)
                ) WITHOUT ROWID;
                INSERT INTO pool_cost_daily_v6
                    SELECT COALESCE((SELECT min(cluster) FROM containers), 'default'), day, pool, node_microdollars, idle_cpu_microdollars,
                           idle_ram_microdollars, hours, node_hours FROM pool_cost_daily;
                DROP TABLE pool_cost_daily;
                ALTER TABLE pool_cost_daily_v6 RENAME TO pool_cost_daily;
                CREATE TABLE unattached_volume_cost_daily_v6 (
                    cluster TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    volume TEXT NOT NULL,
                    microdollars INTEGER NOT NULL,
                    PRIMARY KEY (cluster, day, volume)
                ) WITHOUT ROWID;
                INSERT INTO unattached_volume_cost_daily_v6
                    SELECT COALESCE((SELECT min(cluster) FROM containers), 'default'), day, volume, microdollars FROM unattached_volume_cost_daily;
                DROP TABLE unattached_volume_cost_daily;
                ALTER TABLE unattached_volume_cost_daily_v6 RENAME TO unattached_volume_cost_daily;
                """)
        }
        migrator.registerMigration("v7-collection-runs") { db in
            // What each collection cost Prometheus. A log, not history: outside the content digests.
            try db.execute(sql: """
                CREATE TABLE collection_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    range_start INTEGER NOT NULL,
                    range_end INTEGER NOT NULL,
                    chunks INTEGER NOT NULL,
                    queries INTEGER NOT NULL,
                    series INTEGER NOT NULL,
                    samples INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    overload_splits INTEGER NOT NULL,
                    seconds REAL NOT NULL
                );
                CREATE INDEX collection_runs_by_source ON collection_runs (source, started_at);
                """)
        }
        migrator.registerMigration("v8-advice-cache") { db in
            // The service's advice per container between cycles (derived data, not history:
            // outside the content digests). payload: the advice, JSON; fingerprint: its inputs
            // besides usage; data_end: the end of the usage window it was computed from.
            try db.execute(sql: """
                CREATE TABLE advice_cache (
                    container_id INTEGER PRIMARY KEY REFERENCES containers(id),
                    data_end INTEGER NOT NULL,
                    fingerprint TEXT NOT NULL,
                    payload BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v9-alerts") { db in
            // Budget alerts: the state of every (rule, scope) alert and the transactional outbox
            // of its notifications (derived data: outside the content digests). body and payload
            // are JSON written and read by HeadroomAlerts. An outbox row is one notification to
            // one sink target; (idempotency_key, sink, target) makes a repeated decision a no-op.
            try db.execute(sql: """
                CREATE TABLE alert_states (
                    key TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    body BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE alert_outbox (
                    id INTEGER PRIMARY KEY,
                    idempotency_key TEXT NOT NULL,
                    sink TEXT NOT NULL,
                    target TEXT NOT NULL,
                    state_key TEXT NOT NULL,
                    event TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    deliver_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    digest TEXT,
                    delivered_at INTEGER,
                    dropped_at INTEGER,
                    last_error TEXT,
                    payload BLOB NOT NULL,
                    UNIQUE (idempotency_key, sink, target)
                );
                CREATE INDEX alert_outbox_pending ON alert_outbox (delivered_at, dropped_at, next_attempt_at);
                """)
        }
        migrator.registerMigration("v10-reports") { db in
            // Weekly reports the service delivered, per channel (mail, post): a restart or a
            // retried cycle does not send one twice. And the advice each weekly report showed,
            // per container, so the next week's report can tell which was adopted (derived
            // data: outside the content digests).
            try db.execute(sql: """
                CREATE TABLE report_deliveries (
                    cluster TEXT NOT NULL,
                    week TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    delivered_at INTEGER NOT NULL,
                    PRIMARY KEY (cluster, week, channel)
                ) WITHOUT ROWID;
                CREATE TABLE report_advice (
                    cluster TEXT NOT NULL,
                    week TEXT NOT NULL,
                    container TEXT NOT NULL,
                    cpu_request_millicores INTEGER,
                    memory_request_bytes INTEGER,
                    recommended_cpu_request_millicores INTEGER,
                    recommended_memory_request_bytes INTEGER,
                    monthly_microdollars INTEGER NOT NULL,
                    recommended_monthly_microdollars INTEGER NOT NULL,
                    PRIMARY KEY (cluster, week, container)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
