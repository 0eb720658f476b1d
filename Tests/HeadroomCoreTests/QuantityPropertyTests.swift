import HeadroomCore
import PropertyBased
import Testing

/// What `canonical` writes, the parser reads back unchanged, over the whole accepted range.
@Suite struct QuantityPropertyTests {
    @Test("CPU: canonical → parse is the identity for 0 to 1,000,000 cores")
    func cpuRoundTrip() async {
        await propertyCheck(count: 2_000, input: Gen.int64(in: 0...InputLimits.maxMillicores)) { millicores in
            let quantity = CPUQuantity(millicores: millicores)
            let parsed = try CPUQuantity(parsing: quantity.canonical)
            #expect(parsed == quantity, "\(quantity.canonical)")
        }
    }

    @Test("memory: canonical → parse is the identity for 0 to 1 PiB")
    func memoryRoundTrip() async {
        await propertyCheck(count: 2_000, input: Gen.int64(in: 0...InputLimits.maxBytes)) { bytes in
            let quantity = MemoryQuantity(bytes: bytes)
            let parsed = try MemoryQuantity(parsing: quantity.canonical)
            #expect(parsed == quantity, "\(quantity.canonical)")
        }
    }

    @Test("sums of bounded amounts never trap, and equal the exact sum while it fits")
    func saturatingSums() async {
        await propertyCheck(count: 1_000, input: Gen.int64(in: 0...InputLimits.maxBytes).array(of: 0...50), Gen.int(in: 0...InputLimits.maxReplicas)) { amounts, replicas in
            let total = amounts.reduce(ResourceAmounts.zero) { $0 + ResourceAmounts(cpu: CPUQuantity(millicores: $1), memory: MemoryQuantity(bytes: $1)).times(replicas) }
            let exact = amounts.reduce(Int128(0)) { $0 + Int128($1) * Int128(replicas) }
            #expect(Int128(total.memory!.bytes) == min(exact, Int128(Int64.max)))
        }
    }
}
