import HeadroomCore

/// The PromQL that makes Prometheus do the bucketing: one `query_range` with a 5-minute step
/// whose answer holds, for every series, the statistics of each bucket `[t, t+300)` under a
/// `__headroom_stat` label (`count`, `mean`, `max`). Evaluated at the bucket's end `t + 300`;
/// every selector is read `offset 1ms`, so a range `[5m]` covers exactly the bucket's samples
/// (to the millisecond) on Prometheus 2 (closed ranges) and 3 (left-open ranges) alike.
///
/// - CPU (a counter), per bucket:
///   - `count`: the samples in the bucket (`count_over_time`).
///   - `mean`: the counter's increase from the last sample before the bucket to the last one in
///     it, divided by the time between them: exactly the mean of the per-scrape rates a raw
///     import computes for regular scrapes. Where the counter reset nearby or the series has no
///     earlier sample, Prometheus's `rate()` over the bucket stands in.
///   - `max`: the largest per-scrape rate (`irate`) seen at `t + k·peakStep − 1 ms`, k = 1…300/peakStep:
///     each is the rate over the interval ending at the last sample before that time. With
///     `peakStep` equal to the scrape interval and regular scrapes, those are exactly the
///     intervals ending in the bucket, as in a raw import; jitter can make one interval be seen
///     twice and its neighbour not at all.
/// - Memory (a gauge): `count_over_time`, `avg_over_time`, `max_over_time`, identical to a raw import.
/// - Anything else (kube-state-metrics): the last value of each bucket (`last_over_time`).
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

    /// The step of the peak subquery: the scrape interval, at least 60 s, rounded up to a divisor of
    /// 300 s so every bucket holds the same evaluations.
    public static func peakStep(scrapeIntervalSeconds: Int64) -> Int64 {
        let wanted = max(60, scrapeIntervalSeconds)
        return [60, 75, 100, 150, 300].first { $0 >= wanted } ?? 300
    }

    /// The expression for `selector` (a vector selector with its matchers).
    public static func expression(_ kind: Kind, selector: String, scrapeIntervalSeconds: Int64) -> String {
        let bucket = "[\(bucketSeconds)s] offset 1ms"
        let current = "\(selector) offset 1ms"
        let previous = "\(selector) offset \(bucketSeconds * 1000 + 1)ms"
        func tagged(_ expression: String, _ stat: String) -> String {
            "label_replace(\(expression), \"\(statLabel)\", \"\(stat)\", \"\", \"\")"
        }
        switch kind {
        case .lastValue:
            return "last_over_time(\(selector)\(bucket))"
        case .gaugeUsage:
            return [tagged("count_over_time(\(selector)\(bucket))", "count"),
                    tagged("avg_over_time(\(selector)\(bucket))", "mean"),
                    tagged("max_over_time(\(selector)\(bucket))", "max")].joined(separator: " or ")
        case .counterUsage:
            let step = peakStep(scrapeIntervalSeconds: scrapeIntervalSeconds)
            // irate needs two samples in its window: two peak steps, and at least two scrapes.
            let window = 2 * max(step, scrapeIntervalSeconds)
            let exactMean = "((\(current) - \(previous)) / (timestamp(\(current)) - timestamp(\(previous))))"
            let resetNearby = "resets(\(selector)[\(2 * bucketSeconds)s] offset 1ms) > 0"
            let mean = "(\(exactMean) unless \(resetNearby)) or rate(\(selector)\(bucket))"
            // Points t+step … t+300 (a range 1 ms short of 5 minutes holds 300/step of them on either
            // Prometheus), each reading the samples before it.
            let peak = "max_over_time(irate(\(selector)[\(window)s] offset 1ms)[\(bucketSeconds * 1000 - 1)ms:\(step)s])"
            return [tagged("count_over_time(\(selector)\(bucket))", "count"), tagged(mean, "mean"), tagged(peak, "max")]
                .joined(separator: " or ")
        }
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
