import HeadroomCollect

/// When a Lease may be taken, by client-go `leaderelection`'s rule: a holder's lease runs out
/// `leaseDurationSeconds` after this replica last *saw the record change*, measured on this
/// replica's own clock. The `renewTime` written by another machine is never compared with the
/// local clock, so clock skew between replicas cannot hand one lease to two of them.
public enum LeaseRule {
    /// What this replica last saw of a lease and when, by its own clock (milliseconds).
    public struct Observation: Sendable, Equatable {
        public var holder: String?
        public var renewTime: MicroTime?
        public var resourceVersion: String?
        public var observedAtMillis: Int64

        public init(holder: String?, renewTime: MicroTime?, resourceVersion: String?, observedAtMillis: Int64) {
            self.holder = holder
            self.renewTime = renewTime
            self.resourceVersion = resourceVersion
            self.observedAtMillis = observedAtMillis
        }

        func sameRecord(as lease: LeaseObject) -> Bool {
            holder == lease.spec.holder && renewTime == lease.spec.renewTime && resourceVersion == lease.metadata.resourceVersion
        }
    }

    public enum Verdict: Sendable, Equatable {
        /// Nobody holds it, or its holder stopped renewing it long enough ago.
        case free
        /// This replica holds it.
        case ownedBySelf
        /// Another replica holds it until `untilMillis` on this replica's clock, unless renewed.
        case heldByOther(holder: String, untilMillis: Int64)
    }

    /// The verdict on `lease` (nil: it does not exist) for `identity` at `nowMillis`, and the
    /// observation to keep for the next call. `defaultDurationSeconds` stands in for a lease
    /// written without a duration.
    public static func judge(_ lease: LeaseObject?, identity: String, previous: Observation?, nowMillis: Int64,
                             defaultDurationSeconds: Int) -> (verdict: Verdict, observation: Observation?) {
        guard let lease else { return (.free, nil) }
        let observation = previous.flatMap { $0.sameRecord(as: lease) ? $0 : nil }
            ?? Observation(holder: lease.spec.holder, renewTime: lease.spec.renewTime, resourceVersion: lease.metadata.resourceVersion,
                           observedAtMillis: nowMillis)
        guard let holder = lease.spec.holder else { return (.free, observation) }
        if holder == identity { return (.ownedBySelf, observation) }
        let duration = Int64(max(1, lease.spec.leaseDurationSeconds ?? defaultDurationSeconds))
        let until = observation.observedAtMillis + duration * 1000
        return (nowMillis >= until ? .free : .heldByOther(holder: holder, untilMillis: until), observation)
    }
}
