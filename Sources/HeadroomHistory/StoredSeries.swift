import HeadroomCore

/// How both backends turn what they read into the Engine's series, so the two give the same ones.
extension Array where Element == BucketStats {
    /// The buckets' `statistic` on a regular grid over `[from, to)`, `nil` where none is stored.
    public func gridded(_ statistic: BucketStatistic, from: Int64, to: Int64, resolution: SeriesResolution) -> RegularSeries {
        RegularSeries.gridded(start: from, end: to, step: resolution.step, buckets: lazy.map { (start: $0.start, value: $0.value(statistic)) })
    }
}

extension Array where Element == InventoryRecord? {
    /// The replica count per step: a record that does not say how many replicas keeps the count
    /// of the one before; `nil` before the first record.
    public var replicaCounts: [Int?] {
        var last: Int?
        return map { record in
            if let replicas = record?.replicas { last = replicas }
            return record == nil ? nil : last
        }
    }
}
