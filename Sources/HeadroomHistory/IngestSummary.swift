/// What an ingest stored.
public struct IngestSummary: Hashable, Sendable, Codable {
    /// Usage bucket rows written (inserted or merged).
    public var usageRows: Int
    /// Usage buckets skipped because they fall before the roll-up horizon (already hourly).
    public var skippedBeforeHorizon: Int
    public var inventoryRows: Int
    public var eventRows: Int
    /// Raw samples the written buckets summarise.
    public var rawSamples: Int
    /// Containers in the batch that the store had not seen before.
    public var newContainers: Int

    public init(usageRows: Int = 0, skippedBeforeHorizon: Int = 0, inventoryRows: Int = 0, eventRows: Int = 0, rawSamples: Int = 0, newContainers: Int = 0) {
        self.usageRows = usageRows
        self.skippedBeforeHorizon = skippedBeforeHorizon
        self.inventoryRows = inventoryRows
        self.eventRows = eventRows
        self.rawSamples = rawSamples
        self.newContainers = newContainers
    }
}

/// Progress of a running ingest, reported between write batches (inside the transaction).
public struct IngestProgress: Hashable, Sendable {
    public var rowsWritten: Int
    public var rowsTotal: Int

    public init(rowsWritten: Int, rowsTotal: Int) {
        self.rowsWritten = rowsWritten
        self.rowsTotal = rowsTotal
    }
}
