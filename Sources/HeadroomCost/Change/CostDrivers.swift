import HeadroomCore

/// What a container's allocated cost over a period is made of: how many pods ran, what they
/// requested, what they used, and what the allocation charged for, max(request, usage), summed
/// over the period's hours. The cost causes (`CostCauses`) are computed from two periods' drivers.
public struct CostDrivers: Sendable, Hashable, Codable {
    /// Σ replicas over the hours the container existed.
    public var podHours: Double = 0
    public var cpuRequestMillicoreHours: Double = 0
    public var cpuUsageMillicoreHours: Double = 0
    public var cpuChargedMillicoreHours: Double = 0
    public var memoryRequestByteHours: Double = 0
    public var memoryUsageByteHours: Double = 0
    public var memoryChargedByteHours: Double = 0

    public init() {}

    public init(podHours: Double, cpuRequestMillicoreHours: Double, cpuUsageMillicoreHours: Double, cpuChargedMillicoreHours: Double,
                memoryRequestByteHours: Double, memoryUsageByteHours: Double, memoryChargedByteHours: Double) {
        self.podHours = podHours
        self.cpuRequestMillicoreHours = cpuRequestMillicoreHours
        self.cpuUsageMillicoreHours = cpuUsageMillicoreHours
        self.cpuChargedMillicoreHours = cpuChargedMillicoreHours
        self.memoryRequestByteHours = memoryRequestByteHours
        self.memoryUsageByteHours = memoryUsageByteHours
        self.memoryChargedByteHours = memoryChargedByteHours
    }

    /// Whether the container ran at all in the period.
    public var ran: Bool { podHours > 0 }

    public static func + (lhs: CostDrivers, rhs: CostDrivers) -> CostDrivers {
        CostDrivers(podHours: lhs.podHours + rhs.podHours,
                    cpuRequestMillicoreHours: lhs.cpuRequestMillicoreHours + rhs.cpuRequestMillicoreHours,
                    cpuUsageMillicoreHours: lhs.cpuUsageMillicoreHours + rhs.cpuUsageMillicoreHours,
                    cpuChargedMillicoreHours: lhs.cpuChargedMillicoreHours + rhs.cpuChargedMillicoreHours,
                    memoryRequestByteHours: lhs.memoryRequestByteHours + rhs.memoryRequestByteHours,
                    memoryUsageByteHours: lhs.memoryUsageByteHours + rhs.memoryUsageByteHours,
                    memoryChargedByteHours: lhs.memoryChargedByteHours + rhs.memoryChargedByteHours)
    }

    /// Per day of `days`, the drivers of one container, from the same hours the allocation charges.
    public static func daily(_ usage: ContainerUsageHours, days: DayIndex) -> [CostDrivers] {
        var result = [CostDrivers](repeating: CostDrivers(), count: days.starts.count)
        for (hour, day) in days.ofHour.enumerated() {
            guard let charged = usage.charged(hour: hour) else { continue }
            let pods = Double(charged.replicas)
            result[day].podHours += pods
            result[day].cpuRequestMillicoreHours += Double(charged.cpuRequestMillicores) * pods
            result[day].cpuUsageMillicoreHours += Double(charged.cpuUsedMillicores) * pods
            result[day].cpuChargedMillicoreHours += Double(charged.cpuMillicores)
            result[day].memoryRequestByteHours += Double(charged.memoryRequestBytes) * pods
            result[day].memoryUsageByteHours += Double(charged.memoryUsedBytes) * pods
            result[day].memoryChargedByteHours += Double(charged.memoryBytes)
        }
        return result
    }
}
