import HeadroomRecommend
import Testing

/// HPA building blocks on small cases worked out by hand from the controller's documented rules.
@Suite struct HPATests {
    func pod(_ name: String, _ group: HPAReplicaCalculator.PodSample.Group, request: Int64 = 1000, value: Int64?) -> HPAReplicaCalculator.PodSample {
        .init(name: name, group: group, request: request, value: value)
    }

    @Test("utilization 50 % against a 30 % target on 3 pods proposes ceil(50/30 × 3) = 5")
    func scaleUp() throws {
        let pods = [pod("a", .ready, value: 300), pod("b", .ready, value: 500), pod("c", .ready, value: 700)]
        let result = try HPAReplicaCalculator.utilization(current: 3, target: 30, pods: pods, tolerance: .init())
        #expect(result.replicas == 5 && result.utilization == 50 && result.rawAverageValue == 500)
    }

    @Test("within the 10 % tolerance the count stays")
    func tolerance() throws {
        let pods = [pod("a", .ready, value: 520), pod("b", .ready, value: 480)]
        #expect(try HPAReplicaCalculator.utilization(current: 2, target: 50, pods: pods, tolerance: .init()).replicas == 2)
    }

    @Test("missing pods count at 100 % of request on the way down, which can cancel a scale-down")
    func missingOnScaleDown() throws {
        // Ready pods at 10 %, target 50 %: ratio 0.2. One missing pod at 100 % makes it
        // (10+10+100)/300 = 40 % → ratio 0.8 → ceil(0.8 × 3) = 3, not more than current 3.
        let pods = [pod("a", .ready, value: 100), pod("b", .ready, value: 100), pod("m", .missing, value: nil)]
        #expect(try HPAReplicaCalculator.utilization(current: 3, target: 50, pods: pods, tolerance: .init()).replicas == 3)
    }

    @Test("unready pods count as idle on the way up")
    func unreadyOnScaleUp() throws {
        // 2 ready pods at 90 % of a 50 % target: ratio 1.8; with the unready pod at 0: 60 % → ratio 1.2 → ceil(1.2 × 3) = 4.
        let pods = [pod("a", .ready, value: 900), pod("b", .ready, value: 900), pod("u", .unready, value: 50)]
        #expect(try HPAReplicaCalculator.utilization(current: 3, target: 50, pods: pods, tolerance: .init()).replicas == 4)
    }

    @Test("a container without a request is an error naming it")
    func missingRequest() {
        #expect(throws: HPAReplicaCalculator.Failure(message: "missing request for cpu in container app of Pod p")) {
            try HPAReplicaCalculator.podRequest(containers: [("app", nil)], restartableInit: [], podLevelRequest: nil, container: nil,
                                                podLevelResources: false, resource: "cpu", pod: "p")
        }
    }

    @Test("legacy rules: scale-up capped at max(2 × current, 4); min and max clamp")
    func legacy() {
        #expect(HPANormalization.legacyRules(current: 1, desired: 10, minReplicas: 1, maxReplicas: 20) == (4, .scaleUpLimit))
        #expect(HPANormalization.legacyRules(current: 5, desired: 30, minReplicas: 1, maxReplicas: 8) == (8, .tooManyReplicas))
        #expect(HPANormalization.legacyRules(current: 5, desired: 1, minReplicas: 2, maxReplicas: 8) == (2, .tooFewReplicas))
    }

    @Test("stabilization keeps the highest recommendation of the window")
    func stabilization() {
        let history = [HPARecommendation(replicas: 8, ageSeconds: 200), HPARecommendation(replicas: 9, ageSeconds: 400)]
        let legacy = HPANormalization.stabilizeLegacy(history: history, desired: 3, windowSeconds: 300)
        #expect(legacy.replicas == 8 && legacy.history.map(\.replicas) == [8, 3])
        let behavior = HPANormalization.stabilizeBehavior(history: history, desired: 3, current: 10, upWindowSeconds: 0, downWindowSeconds: 300)
        #expect(behavior.replicas == 8)
    }

    @Test("default behavior scales up by max(+4, ×2) and down by up to 100 % per 15 s")
    func behaviorDefaults() {
        #expect(HPANormalization.behaviorRules(current: 1, desired: 100, minReplicas: 1, maxReplicas: 100, scaleUp: .defaultScaleUp,
                                               scaleDown: .defaultScaleDown, upEvents: [], downEvents: []) == (5, .scaleUpLimit))
        #expect(HPANormalization.behaviorRules(current: 10, desired: 100, minReplicas: 1, maxReplicas: 100, scaleUp: .defaultScaleUp,
                                               scaleDown: .defaultScaleDown, upEvents: [HPAScaleEvent(change: 6, ageSeconds: 5)], downEvents: []).replicas == 10)
        // (+6 five seconds ago: the period started at 4, so both policies allow 8, which is below
        // the current 10; a limit is never below the current count, so the size holds at 10.)
        #expect(HPANormalization.behaviorRules(current: 10, desired: 2, minReplicas: 1, maxReplicas: 100, scaleUp: .defaultScaleUp,
                                               scaleDown: .defaultScaleDown, upEvents: [], downEvents: []) == (2, .desiredWithinRange))
    }
}
