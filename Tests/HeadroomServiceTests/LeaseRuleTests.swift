import Foundation
import HeadroomCollect
import HeadroomService
import Testing

/// client-go's rule for when another replica's Lease may be taken, on this replica's clock.
struct LeaseRuleTests {
    let now: Int64 = 1_800_000_000_000

    func lease(holder: String?, renewedAt millis: Int64, version: String) -> LeaseObject {
        LeaseObject(metadata: .init(name: "headroom-shard-0", namespace: "headroom", resourceVersion: version),
                    spec: .init(holderIdentity: holder, leaseDurationSeconds: 15, renewTime: MicroTime(milliseconds: millis)))
    }

    func judge(_ lease: LeaseObject?, previous: LeaseRule.Observation? = nil, at millis: Int64) -> (LeaseRule.Verdict, LeaseRule.Observation?) {
        let result = LeaseRule.judge(lease, identity: "replica-a", previous: previous, nowMillis: millis, defaultDurationSeconds: 15)
        return (result.verdict, result.observation)
    }

    @Test func missingOrReleasedLeasesAreFree() {
        #expect(judge(nil, at: now).0 == .free)
        #expect(judge(lease(holder: "", renewedAt: now, version: "7"), at: now).0 == .free)
        #expect(judge(lease(holder: nil, renewedAt: now, version: "7"), at: now).0 == .free)
    }

    @Test func ownLeaseIsOwned() {
        #expect(judge(lease(holder: "replica-a", renewedAt: now - 3_600_000, version: "7"), at: now).0 == .ownedBySelf)
    }

    @Test func anotherHoldersLeaseRunsOutADurationAfterItWasLastSeenUnchanged() {
        let held = lease(holder: "replica-b", renewedAt: now, version: "7")
        let (first, observation) = judge(held, at: now)
        #expect(first == .heldByOther(holder: "replica-b", untilMillis: now + 15_000))
        #expect(judge(held, previous: observation, at: now + 14_999).0 == .heldByOther(holder: "replica-b", untilMillis: now + 15_000))
        #expect(judge(held, previous: observation, at: now + 15_000).0 == .free)
    }

    @Test func aRenewalSeenStartsTheDurationAgain() {
        let (_, observation) = judge(lease(holder: "replica-b", renewedAt: now, version: "7"), at: now)
        let renewed = lease(holder: "replica-b", renewedAt: now + 10_000, version: "8")
        let (verdict, next) = judge(renewed, previous: observation, at: now + 10_000)
        #expect(verdict == .heldByOther(holder: "replica-b", untilMillis: now + 25_000))
        #expect(judge(renewed, previous: next, at: now + 20_000).0 == .heldByOther(holder: "replica-b", untilMillis: now + 25_000))
    }

    /// The holder's clock is an hour behind: its renewTime looks stale, but this replica only
    /// counts from when it saw the record, so the lease is not taken from a live holder.
    @Test func aSkewedRenewTimeDoesNotFreeALiveLease() {
        let skewed = lease(holder: "replica-b", renewedAt: now - 3_600_000, version: "9")
        #expect(judge(skewed, at: now).0 == .heldByOther(holder: "replica-b", untilMillis: now + 15_000))
    }

    @Test func microTimeReadsAndWritesKubernetesFormat() throws {
        let parsed = try #require(MicroTime.parse("2026-12-07T07:30:50.123456Z"))
        #expect(parsed.microseconds == 1_796_628_650_123_456)   // 2026-12-07T07:30:50Z is 1,796,628,650 (Python's calendar.timegm)
        #expect(parsed.text == "2026-12-07T07:30:50.123456Z")
        #expect(MicroTime.parse("2026-12-07T08:30:50.5+01:00")?.microseconds == 1_796_628_650_500_000)
        #expect(MicroTime.parse("2026-12-07T07:30:50Z")?.microseconds == 1_796_628_650_000_000)
        #expect(MicroTime.parse("2026-12-07T07:30:50.123456789Z")?.microseconds == 1_796_628_650_123_456)
        #expect(MicroTime(microseconds: 1_796_628_650_000_042).text == "2026-12-07T07:30:50.000042Z")
        #expect(MicroTime.parse("yesterday") == nil)
        #expect(MicroTime.parse("2026-12-07T07:30:50.Z") == nil)
    }
}
