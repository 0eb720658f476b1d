/// The controller's record of its scale-ups (or scale-downs) for the rate-limit policies
/// (`horizontal.go` storeScaleEvent / markScaleEventsOutdated / getReplicasChangePerPeriod):
/// events older than the longest policy period are marked outdated, and a new event takes the
/// place of the last outdated one, or is appended.
public struct HPAScaleEventStore: Sendable, Hashable {
    public struct Event: Sendable, Hashable {
        public var change: Int
        /// Seconds on the caller's clock.
        public var time: Double
        public var outdated: Bool

        public init(change: Int, time: Double, outdated: Bool = false) {
            self.change = change
            self.time = time
            self.outdated = outdated
        }
    }

    public private(set) var events: [Event]

    public init(events: [Event] = []) {
        self.events = events
    }

    /// Records a change of `change` replicas at `now` under rules whose longest policy period is
    /// `longestPeriodSeconds`.
    public mutating func store(change: Int, now: Double, longestPeriodSeconds: Double) {
        for index in events.indices where events[index].time < now - longestPeriodSeconds { events[index].outdated = true }
        let event = Event(change: change, time: now)
        if let reused = events.lastIndex(where: \.outdated) { events[reused] = event } else { events.append(event) }
    }

    /// Replicas changed by events younger than `periodSeconds` at `now`.
    public func change(inLast periodSeconds: Double, now: Double) -> Int {
        events.reduce(0) { $0 + ($1.time > now - periodSeconds ? $1.change : 0) }
    }

    /// The events as the rate-limit rules read them, aged from `now`.
    public func scaleEvents(now: Double) -> [HPAScaleEvent] {
        events.map { HPAScaleEvent(change: $0.change, ageSeconds: now - $0.time) }
    }
}
