/// The HPA's classification of pods before averaging (`replica_calculator.go` upstream):
/// ignored (being deleted or failed), unready, missing a metric, or ready.
public enum HPAPodGrouping {
    public struct Pod: Sendable, Hashable {
        public var name: String
        public var phase: String
        public var deletionTimestampSet: Bool
        public var startTimeSecondsAgo: Double?
        /// Ready condition, with how long ago it last changed.
        public var ready: (status: Bool, lastTransitionSecondsAgo: Double)?
        /// The metric sample: how long ago it was taken (nil = zero time) and its window.
        public var metric: (timestampSecondsAgo: Double?, windowSeconds: Double)?
        /// Pre-classified CPU initialization (for cases that give it directly).
        public var cpuInitializingUnready: Bool?

        public init(name: String, phase: String, deletionTimestampSet: Bool, startTimeSecondsAgo: Double?,
                    ready: (status: Bool, lastTransitionSecondsAgo: Double)?, metric: (timestampSecondsAgo: Double?, windowSeconds: Double)?,
                    cpuInitializingUnready: Bool? = nil) {
            self.name = name
            self.phase = phase
            self.deletionTimestampSet = deletionTimestampSet
            self.startTimeSecondsAgo = startTimeSecondsAgo
            self.ready = ready
            self.metric = metric
            self.cpuInitializingUnready = cpuInitializingUnready
        }

        public static func == (lhs: Pod, rhs: Pod) -> Bool { lhs.name == rhs.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    public struct Groups: Sendable, Equatable {
        public var ready: [String] = []
        public var unready: [String] = []
        public var missing: [String] = []
        public var ignored: [String] = []
    }

    public static func group(_ pods: [Pod], cpu: Bool, cpuInitializationPeriod: Double = 300, initialReadinessDelay: Double = 30) -> Groups {
        var groups = Groups()
        for pod in pods {
            if pod.deletionTimestampSet || pod.phase == "Failed" { groups.ignored.append(pod.name); continue }
            if pod.phase == "Pending" { groups.unready.append(pod.name); continue }
            guard let metric = pod.metric else { groups.missing.append(pod.name); continue }
            if cpu {
                if let preclassified = pod.cpuInitializingUnready {
                    if preclassified { groups.unready.append(pod.name); continue }
                } else if isCPUUnready(pod, metric: metric, initializationPeriod: cpuInitializationPeriod, readinessDelay: initialReadinessDelay) {
                    groups.unready.append(pod.name)
                    continue
                }
            }
            groups.ready.append(pod.name)
        }
        return groups
    }

    /// CPU only: unready without a Ready condition or start time; during initialization when not
    /// Ready or when the sample predates readiness + its window; afterwards only when the pod never
    /// became ready (not Ready and it turned so within the readiness delay of starting).
    static func isCPUUnready(_ pod: Pod, metric: (timestampSecondsAgo: Double?, windowSeconds: Double), initializationPeriod: Double, readinessDelay: Double) -> Bool {
        guard let ready = pod.ready, let startAgo = pod.startTimeSecondsAgo else { return true }
        if startAgo < initializationPeriod {
            if !ready.status { return true }
            // Times as "seconds ago": later is smaller. The metric is unready when taken before
            // lastTransition + window, i.e. ago > transitionAgo − window. A zero timestamp is very old.
            let metricAgo = metric.timestampSecondsAgo ?? .infinity
            return metricAgo > ready.lastTransitionSecondsAgo - metric.windowSeconds
        }
        // start + delay strictly after the transition: (startAgo − delay) ago is later than transitionAgo.
        return !ready.status && (startAgo - readinessDelay) < ready.lastTransitionSecondsAgo
    }
}
