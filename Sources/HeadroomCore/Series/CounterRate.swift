/// Converts a monotonic counter (such as `container_cpu_usage_seconds_total`) into per-second
/// rates between consecutive samples.
///
/// A drop in the counter is a reset (the container restarted): as in Prometheus's `rate()`, the
/// counter is taken to have restarted from zero, so the increase over that interval is the new
/// value. Each rate is stamped at the later sample's time; the first sample yields no rate.
public enum CounterRate {
    public static func rates(_ samples: [Sample]) throws(SeriesError) -> [Sample] {
        for sample in samples where !sample.value.isFinite || !sample.time.isFinite {
            throw SeriesError(reason: "non-finite counter value \(sample.value)", time: sample.time)
        }
        for sample in samples where sample.value < 0 {
            throw SeriesError(reason: "negative counter value \(sample.value)", time: sample.time)
        }
        let sorted = samples.sorted { $0.time < $1.time }
        var rates: [Sample] = []
        rates.reserveCapacity(max(0, sorted.count - 1))
        for (previous, next) in zip(sorted, sorted.dropFirst()) {
            let elapsed = next.time - previous.time
            if elapsed == 0 {
                if previous.value == next.value { continue }
                throw SeriesError(reason: "two different counter values (\(previous.value) and \(next.value)) for one timestamp", time: next.time)
            }
            let increase = next.value >= previous.value ? next.value - previous.value : next.value
            rates.append(Sample(time: next.time, value: increase / elapsed))
        }
        return rates
    }
}
