import HeadroomCore

/// The PromQL that makes Prometheus do the bucketing: `query_range`s with a 5-minute step, one
/// per statistic (`count`, `mean`, `max`; each a single cheap function, since binary operators
/// and `timestamp()` cost Prometheus 2 ten to forty times more), evaluated at each bucket end
/// `t + 300`. Every selector is read `offset 1ms`, so a range `[300s]` covers exactly the
/// bucket's samples (to the millisecond) on Prometheus 2 (closed ranges) and 3 (left-open ranges).
///
/// - CPU (a counter), per bucket:
///   - `count`: the samples in the bucket (`count_over_time`), only where it is not the
///     expected 300 s / scrape interval.
///   - `mean` and `max`: the mean and the largest of the per-scrape rates (`irate`) seen at
///     `t + k·peakStep − 1 ms`, k = 1…300/peakStep; each is the rate over the interval ending at
///     the last sample before that time. With `peakStep` equal to the scrape interval and
///     regular scrapes, those are exactly the intervals ending in the bucket, as in a raw import;
///     jitter can make one interval be seen twice and its neighbour not at all. Scrapes at least
///     twice as fast as `peakStep` take their mean from `rate()` over the bucket instead (all
///     but the interval that crosses into it), and their peak from the sampled rates.
/// - Memory (a gauge): `count_over_time` (also only where unexpected), `avg_over_time`,
///   `max_over_time`, identical to a raw import.
/// - Anything else (kube-state-metrics, which rarely change): an instant `changes() > 0` over the
///   chunk; when no series of the query changed, one instant `last_over_time()`, else the last
///   value of each bucket (`last_over_time(x[300s])`).
public enum DownsampleQuery {
    /// The label that tells the statistics apart in an answer.
    public static let statLabel = "__headroom_stat"
    public static let bucketSeconds: Int64 = 300

    /// How a metric is downsampled.
    public enum Kind: Sendable, Equatable {
        case counterUsage, gaugeUsage, lastValue
    }

    public static func kind(of metric: PrometheusQuerySet.Metric) -> Kind {
        switch metric.metric {
        case "container_cpu_usage_seconds_total": .counterUsage
        case "container_memory_working_set_bytes": .gaugeUsage
        default: .lastValue
        }
    }

    /// Metrics whose samples only say which series exist (ownership, the claims a pod mounts):
    /// the importer reads neither their values nor their times, so a chunk's last values are all
    /// there is to read, and whether a value changed inside it does not matter.
    public static let labelOnlyMetrics: Set<String> = [
        "kube_pod_owner", "kube_replicaset_owner", "kube_job_owner", "kube_pod_spec_volumes_persistentvolumeclaims_info",
    ]

    /// The step of the peak subquery: the scrape interval, at least 60 s, rounded up to a divisor of
    /// 300 s so every bucket holds the same evaluations.
    public static func peakStep(scrapeIntervalSeconds: Int64) -> Int64 {
        let wanted = max(60, scrapeIntervalSeconds)
        return [60, 75, 100, 150, 300].first { $0 >= wanted } ?? 300
    }

    /// One statistic of a usage metric: the PromQL and the stat it stands for.
    public struct Statistic: Sendable, Equatable {
        public var stat: String
        public var expression: String
    }

    /// The samples a bucket holds at this scrape interval, when it divides 5 minutes; the count
    /// query returns only the buckets that hold another number (a third fewer points).
    public static func expectedCount(scrapeIntervalSeconds: Int64) -> Int? {
        scrapeIntervalSeconds > 0 && bucketSeconds % scrapeIntervalSeconds == 0 ? Int(bucketSeconds / scrapeIntervalSeconds) : nil
    }

    /// The statistics of a usage metric read through `selector` (a vector selector with its
    /// matchers), for buckets of `seconds` (5 minutes, or the part of the open bucket so far:
    /// its count is then asked for whatever it is).
    public static func statistics(_ kind: Kind, selector: String, scrapeIntervalSeconds: Int64, seconds: Int64 = bucketSeconds) -> [Statistic] {
        let bucket = "[\(seconds)s] offset 1ms"
        let expected = seconds == bucketSeconds ? expectedCount(scrapeIntervalSeconds: scrapeIntervalSeconds) : nil
        let count = "count_over_time(\(selector)\(bucket))" + (expected.map { " != \($0)" } ?? "")
        switch kind {
        case .lastValue:
            return [Statistic(stat: "last", expression: lastValue(selector))]
        case .gaugeUsage:
            return [Statistic(stat: "count", expression: count),
                    Statistic(stat: "mean", expression: "avg_over_time(\(selector)\(bucket))"),
                    Statistic(stat: "max", expression: "max_over_time(\(selector)\(bucket))")]
        case .counterUsage:
            let step = peakStep(scrapeIntervalSeconds: scrapeIntervalSeconds)
            // irate needs two samples in its window: two peak steps, and at least two scrapes.
            let window = 2 * max(step, scrapeIntervalSeconds)
            // Points t+step … t+300 (a range 1 ms short of 5 minutes holds 300/step of them on either
            // Prometheus), each reading the samples before it.
            let perScrape = "irate(\(selector)[\(window)s] offset 1ms)[\(seconds * 1000 - 1)ms:\(step)s]"
            let mean = 2 * scrapeIntervalSeconds <= step ? "rate(\(selector)\(bucket))" : "avg_over_time(\(perScrape))"
            return [Statistic(stat: "count", expression: count),
                    Statistic(stat: "mean", expression: mean),
                    Statistic(stat: "max", expression: "max_over_time(\(perScrape))")]
        }
    }

    /// `parts` joined by `or` as a balanced tree, `(a or b) or (c or d)`: Prometheus 2.42 matches
    /// every series of an `or`'s left side again at each level, so the 19 kube-state-metrics
    /// parts of a 5-minute cycle chained `a or b or c …` cost it 0.59 CPU s at 1,000 pods, and
    /// 0.32 s as a tree.
    public static func union(_ parts: [String]) -> String {
        guard parts.count > 1 else { return parts.first ?? "" }
        let middle = parts.count / 2
        func side(_ half: ArraySlice<String>) -> String { half.count == 1 ? half[half.startIndex] : "(\(union(Array(half))))" }
        return "\(side(parts[..<middle])) or \(side(parts[middle...]))"
    }

    /// Each bucket's last value.
    public static func lastValue(_ selector: String) -> String {
        "last_over_time(\(selector)[\(bucketSeconds)s] offset 1ms)"
    }

    /// Instant queries at a chunk's end over `seconds` before it: which series changed, and every
    /// series' last value.
    public static func changed(_ selector: String, seconds: Int64) -> String {
        "changes(\(selector)[\(seconds)s] offset 1ms) > 0"
    }

    public static func last(_ selector: String, seconds: Int64) -> String {
        "last_over_time(\(selector)[\(seconds)s] offset 1ms)"
    }

    /// The evaluation times for `chunk`, bucket ends: usage metrics at the end of each bucket of
    /// the chunk; last values also at its start (the state in force then).
    public static func evaluationRange(_ kind: Kind, chunk: Range<Int64>) -> (start: Double, end: Double) {
        let first = kind == .lastValue ? chunk.lowerBound : chunk.lowerBound + bucketSeconds
        return (Double(first), Double(chunk.upperBound))
    }

    /// The start of the bucket whose statistics an answer stamped at `time` (its end) holds.
    public static func bucketStart(endingAt time: Double) -> Int64 {
        floorDiv(Int64(time.rounded()) - bucketSeconds, bucketSeconds) * bucketSeconds
    }
}
