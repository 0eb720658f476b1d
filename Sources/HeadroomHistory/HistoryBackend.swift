import HeadroomCore

/// The history store whichever database holds it: the embedded SQLite file (`HistoryStore`, the
/// default for one cluster) or a shared PostgreSQL (`PostgresHistoryStore`, for several replicas
/// and fleets). Both apply the same versioned migrations and the same ingest rules, and the store
/// suite (`HistoryBackendTests`) runs unchanged against each.
///
/// This is the part of the store that both backends implement so far: ingest, the usage reads,
/// inventory, events, nodes, watermarks, freshness, the collection log, retention, the daily
/// costs, the reclamation audit, alert states and their outbox, the advice cache and the weekly
/// reports' deliveries and advice, and the Engine's other reads (node snapshots, volumes, quotas,
/// declared state per step, hourly means). Only the SQLite file's own checks (digests,
/// integrity, journal mode) stay outside it. The Engine, the alerts, the weekly report and the
/// service take any backend.
public protocol HistoryBackend: AnyObject, Sendable {
    /// Where the store lives, for messages: a file path, or a URL without any credential.
    var location: String { get }

    /// The identifiers of the schema migrations applied, in order (the same list on every backend).
    func appliedMigrations() async throws(HistoryError) -> [String]

    /// Stores batches in one transaction, idempotently: a bucket stored again leaves one row;
    /// partial summaries of a bucket merge when their samples are disjoint in time, otherwise
    /// the one with more samples wins; 5-minute buckets before the roll-up horizon are skipped.
    func ingest(_ batches: [CollectedBatch], progress: ((IngestProgress) -> Void)?) async throws(HistoryError) -> IngestSummary

    /// Every container the store knows (of one cluster when given), sorted.
    func containers(cluster: String?) async throws(HistoryError) -> [ContainerID]

    /// The clusters the store holds containers or nodes of, sorted.
    func clusters() async throws(HistoryError) -> [String]

    /// Stored buckets of one container and resource with `start` in `[from, to)`, in time order.
    func buckets(_ container: ContainerID, resource: ResourceKind, from: Int64, to: Int64,
                 resolution: SeriesResolution) async throws(HistoryError) -> [BucketStats]

    /// A regular series over `[from, to)` (aligned down to the step) with `nil` where no bucket
    /// is stored: CPU in millicores or memory in bytes, per pod.
    func series(_ container: ContainerID, resource: ResourceKind, statistic: BucketStatistic, from: Int64, to: Int64,
                resolution: SeriesResolution) async throws(HistoryError) -> RegularSeries

    /// The mean and the max series of one container and resource from one read.
    func meanAndMaxSeries(_ container: ContainerID, resource: ResourceKind, from: Int64, to: Int64,
                          resolution: SeriesResolution) async throws(HistoryError) -> (mean: RegularSeries, max: RegularSeries)

    /// The declared replica count per step over `[from, to)` (`nil` before the first inventory record).
    func replicaSeries(_ container: ContainerID, from: Int64, to: Int64, step: Int64) async throws(HistoryError) -> [Int?]

    /// The 5-minute buckets and the declared state per 5-minute step of each container over
    /// `[from, to)`, for many containers at once: advice loads its batches through it, and a
    /// server answers a batch in a few queries rather than three per container.
    func histories(_ containers: [ContainerID], from: Int64, to: Int64) async throws(HistoryError) -> [ContainerID: StoredHistory]

    /// Problems found while reading rows that did not stop the read, gathered since the last call.
    func takeWarnings() -> [String]

    /// The latest inventory record of each container (as of `asOf` when given; of one cluster when given).
    func latestInventory(asOf: Int64?, cluster: String?) async throws(HistoryError) -> [InventoryRecord]

    /// Stored events, optionally of one kind and of one cluster, in time order.
    func events(kind: ContainerEvent.Kind?, cluster: String?) async throws(HistoryError) -> [ContainerEvent]

    /// The nodes of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    func latestNodes(cluster: String?) async throws(HistoryError) -> [NodeRecord]

    /// Every node snapshot of `cluster` taken in `[from, to)` and the last one before `from`, oldest first.
    func nodeSnapshots(cluster: String, from: Int64, to: Int64) async throws(HistoryError) -> [(observedAt: Int64, nodes: [NodeRecord])]

    /// The PersistentVolumes of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    func latestVolumes(cluster: String?) async throws(HistoryError) -> [VolumeRecord]

    /// Quota lines of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    func latestQuotas(cluster: String?) async throws(HistoryError) -> [ResourceQuotaRecord]

    /// The declared state per step over `[from, to)`: the latest inventory record at or before each step start.
    func inventorySeries(_ container: ContainerID, from: Int64, to: Int64, step: Int64) async throws(HistoryError) -> [InventoryRecord?]

    /// Each hour's mean of the stored 5-minute means of one container and resource over `hours` hours from `from`.
    func hourlyMeans(_ container: ContainerID, resource: ResourceKind, from: Int64, hours: Int) async throws(HistoryError) -> [Double?]

    /// The collection watermark of a source (latest sample time stored, unix seconds).
    func watermark(source: String) async throws(HistoryError) -> Int64?

    /// Every collection watermark, by source.
    func watermarks() async throws(HistoryError) -> [SourceWatermark]

    /// Per cluster, the newest usage, inventory and node data stored, by cluster.
    func clusterFreshness() async throws(HistoryError) -> [ClusterFreshness]

    /// Appends a collection run to the log (what it asked of its source and what that cost).
    func record(_ run: CollectionRun) async throws(HistoryError)

    /// The latest `limit` collection runs, newest first, of one source or all.
    func collectionRuns(source: String?, limit: Int) async throws(HistoryError) -> [CollectionRun]

    /// Earliest and latest 5-minute bucket start stored (of one cluster when given).
    func usageTimeRange(cluster: String?) async throws(HistoryError) -> ClosedRange<Int64>?

    /// Replaces every stored cost day of `cluster` in `[from, to)` with these rows, in one transaction.
    func replaceDailyCosts(cluster: String, from: Int64, to: Int64, containers: [StoredContainerCost], pools: [StoredPoolCost],
                           unattachedVolumes: [StoredVolumeCost]) async throws(HistoryError)

    /// Stored container costs of `[from, to)` (of one cluster when given), by day and container.
    func containerCosts(from: Int64, to: Int64, cluster: String?) async throws(HistoryError) -> [StoredContainerCost]

    /// Stored pool costs of `[from, to)` (of one cluster when given), by day, cluster and pool.
    func poolCosts(from: Int64, to: Int64, cluster: String?) async throws(HistoryError) -> [StoredPoolCost]

    /// Stored cost of volumes no workload mounts, by day, cluster and volume.
    func unattachedVolumeCosts(from: Int64, to: Int64, cluster: String?) async throws(HistoryError) -> [StoredVolumeCost]

    /// The first and last stored cost day (of one cluster when given).
    func costDayRange(cluster: String?) async throws(HistoryError) -> ClosedRange<Int64>?

    /// Records a reclamation plan (the audit trail) and returns its id.
    @discardableResult
    func recordReclaimPlan(createdAt: Int64, user: String, command: String, inputs: String, items: Int,
                           monthlySavingMicrodollars: Int64, plan: String) async throws(HistoryError) -> Int64

    /// Every recorded reclamation plan, oldest first.
    func reclaimPlans() async throws(HistoryError) -> [ReclaimAuditEntry]

    /// Every stored alert state, by key.
    func alertStates() async throws(HistoryError) -> [AlertStateRow]

    /// Stores an alert evaluation's decision in one transaction: states, new outbox rows (one per
    /// idempotency key, sink and target), cancellations and drops past `limit` (`HistoryStore.recordAlertDecision`).
    @discardableResult
    func recordAlertDecision(states: [AlertStateRow], outbox: [AlertOutboxRow], cancellable: [String: Int64], limit: Int,
                             dropOrder: [String], at now: Int64) async throws(HistoryError) -> (inserted: Int, dropped: Int, cancelled: Int)

    /// Undelivered, undropped outbox rows due at `now`, oldest first.
    func dueAlertOutbox(at now: Int64) async throws(HistoryError) -> [AlertOutboxRow]

    /// Every outbox row, oldest first.
    func alertOutbox() async throws(HistoryError) -> [AlertOutboxRow]

    /// Groups rows into one message; a row already in a digest keeps it.
    func assignAlertDigest(_ ids: [Int64], digest: String) async throws(HistoryError)

    func markAlertsDelivered(_ ids: [Int64], at now: Int64) async throws(HistoryError)

    /// Records a failed attempt and when to try again.
    func markAlertsFailed(_ ids: [Int64], nextAttemptAt: Int64, error: String) async throws(HistoryError)

    /// Outbox totals: pending, delivered, failed attempts, dropped, cancelled.
    func alertOutboxCounts() async throws(HistoryError) -> AlertOutboxCounts

    /// The service's cached advice of every container of `cluster`; without `payloads`, each
    /// record's payload is empty (what it was computed from only, for a service that kept the
    /// decoded advice in memory).
    func cachedAdvice(cluster: String, payloads: Bool) async throws(HistoryError) -> [ContainerID: CachedAdviceRecord]

    /// Stores advice (replacing the containers' earlier one) and drops that of every other
    /// container of `cluster` not in `keeping`, in one transaction.
    func updateCachedAdvice(cluster: String, _ records: [CachedAdviceRecord], keeping: Set<ContainerID>) async throws(HistoryError)

    /// Per container with cached advice, the highest CPU mean and memory maximum stored since it was computed.
    func usageSinceCachedAdvice(cluster: String) async throws(HistoryError) -> [ContainerID: (cpuMean: Double?, memoryMax: Double?)]

    /// The channels the weekly report of `week` was delivered to for `cluster`.
    func reportDeliveries(cluster: String, week: String) async throws(HistoryError) -> Set<String>

    /// Records a report delivery; recording it again keeps the first time.
    func recordReportDelivery(cluster: String, week: String, channel: String, at time: Int64) async throws(HistoryError)

    /// Replaces the advice recorded for a weekly report, in one transaction.
    func recordReportAdvice(cluster: String, week: String, _ rows: [RecordedAdvice]) async throws(HistoryError)

    /// The advice recorded for a weekly report, by container.
    func reportAdvice(cluster: String, week: String) async throws(HistoryError) -> [RecordedAdvice]

    /// Rolls 5-minute buckets older than the retention window up into hourly ones, in one transaction.
    func applyRetention(now: Int64, policy: RetentionPolicy) async throws(HistoryError) -> RetentionSummary
}

extension HistoryStore: HistoryBackend {
    public var location: String { path }

    /// The schema migrations every backend applies, in order.
    public static var migrationIdentifiers: [String] { migrator.migrations }

    public func appliedMigrations() throws(HistoryError) -> [String] {
        try read { db in try Self.migrator.appliedMigrations(db) }
    }
}
