/// The parts of a HorizontalPodAutoscaler (autoscaling/v2) that sizing needs.
public struct HPASpec: Hashable, Sendable, Codable {
    public var minReplicas: Int
    public var maxReplicas: Int
    /// Target average CPU utilization as a percentage of the request, when the HPA scales on CPU.
    public var targetCPUUtilizationPercent: Int?
    /// Target average memory utilization as a percentage of the request, when it scales on memory.
    public var targetMemoryUtilizationPercent: Int?

    public init(minReplicas: Int, maxReplicas: Int, targetCPUUtilizationPercent: Int? = nil, targetMemoryUtilizationPercent: Int? = nil) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.targetCPUUtilizationPercent = targetCPUUtilizationPercent
        self.targetMemoryUtilizationPercent = targetMemoryUtilizationPercent
    }
}
