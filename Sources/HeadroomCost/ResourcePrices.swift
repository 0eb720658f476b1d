import HeadroomCore

/// Default per-resource prices for clusters whose node types are unknown, in micro-dollars
/// (money is never a float in a string). Source: OpenCost's shipped `configs/default.json`
/// (GCP us-central1 rates), as recorded in `models/pricing/defaults.yaml`.
public struct ResourcePrices: Sendable, Hashable {
    public var microdollarsPerVCPUHour: Int64
    public var microdollarsPerGiBHour: Int64
    public static let hoursPerMonth: Int64 = 730

    public init(microdollarsPerVCPUHour: Int64, microdollarsPerGiBHour: Int64) {
        self.microdollarsPerVCPUHour = microdollarsPerVCPUHour
        self.microdollarsPerGiBHour = microdollarsPerGiBHour
    }

    /// $0.031611 per vCPU-hour, $0.004237 per GiB-hour.
    public static let fallback = ResourcePrices(microdollarsPerVCPUHour: 31_611, microdollarsPerGiBHour: 4_237)

    /// Monthly cost of `replicas` pods requesting `requests`, in micro-dollars.
    public func monthlyMicrodollars(_ requests: ResourceAmounts, replicas: Int) -> Int64 {
        let cpu = Int64(requests.cpu?.millicores ?? 0) * microdollarsPerVCPUHour / 1000
        let memory = (requests.memory?.bytes ?? 0) / 1024 * microdollarsPerGiBHour / (1 << 20)
        return (cpu + memory) * Self.hoursPerMonth * Int64(max(replicas, 0))
    }

    /// Monthly cost at a mean replica count (an HPA's replayed average), rounded to the micro-dollar.
    public func monthlyMicrodollars(_ requests: ResourceAmounts, meanReplicas: Double) -> Int64 {
        Int64((Double(monthlyMicrodollars(requests, replicas: 1)) * max(meanReplicas, 0)).rounded())
    }
}
