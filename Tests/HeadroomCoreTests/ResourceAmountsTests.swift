import HeadroomCore
import Testing

@Suite struct ResourceAmountsTests {
    @Test("sums count unset parts as zero and set both parts; times multiplies a pod's requests by its replicas")
    func arithmetic() {
        let cpuOnly = ResourceAmounts(cpu: CPUQuantity(millicores: 250))
        let memoryOnly = ResourceAmounts(memory: MemoryQuantity(bytes: 512 << 20))
        #expect(cpuOnly + memoryOnly == ResourceAmounts(cpu: CPUQuantity(millicores: 250), memory: MemoryQuantity(bytes: 512 << 20)))
        #expect(ResourceAmounts.none + .none == .zero)
        #expect((cpuOnly + memoryOnly).times(3) == ResourceAmounts(cpu: CPUQuantity(millicores: 750), memory: MemoryQuantity(bytes: 1536 << 20)))
        #expect(cpuOnly.times(0) == .zero)
    }
}
