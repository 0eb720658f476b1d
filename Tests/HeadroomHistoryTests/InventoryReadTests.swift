import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// Inventory rows read back field by field (their columns are located once per query), and the
/// store's container order.
@Suite struct InventoryReadTests {
    static let full = InventoryRecord(
        container: ContainerID(namespace: "shop", kind: .deployment, workload: "api", container: "app"), observedAt: 1_795_299_900,
        requests: ResourceAmounts(cpu: CPUQuantity(millicores: 250), memory: MemoryQuantity(bytes: 512 << 20)),
        limits: ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: MemoryQuantity(bytes: 1 << 30)),
        replicas: 3, nodePool: "backend", zone: "zone-b",
        hpa: HPASpec(minReplicas: 2, maxReplicas: 9, targetCPUUtilizationPercent: 70, targetMemoryUtilizationPercent: nil),
        annotations: ["headroom.io/quantile": "0.95"], labels: ["team": "payments"])
    /// Every optional column NULL.
    static let bare = InventoryRecord(container: ContainerID(namespace: "batch", kind: .cronJob, workload: "nightly", container: "job"),
                                      observedAt: 1_795_299_900)

    @Test("every field of a record, and every NULL column as absent, comes back from latestInventory and inventorySeries")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        _ = try store.ingest(CollectedBatch(source: "t", inventory: [Self.full, Self.bare]))
        #expect(try store.latestInventory() == [Self.bare, Self.full])
        #expect(try store.inventorySeries(Self.full.container, from: Self.full.observedAt, to: Self.full.observedAt + 600, step: 300)
                == [Self.full, Self.full])
        #expect(try store.inventorySeries(Self.bare.container, from: Self.bare.observedAt - 300, to: Self.bare.observedAt + 300, step: 300)
                == [nil, Self.bare])
    }

    @Test("containers and the latest inventory come back sorted whatever the order they were stored in, non-ASCII names too")
    func sortedOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        // "e" + combining acute equals "é" for Swift's comparison, not for SQLite's bytes.
        let names = ["zeta", "\u{00E9}t\u{00E9}", "e\u{0301}cole", "alpha", "Beta", "\u{00C5}ngstr\u{00F6}m", "mid"]
        let records = names.map { InventoryRecord(container: ContainerID(namespace: "ns", kind: .deployment, workload: $0, container: "c"),
                                                  observedAt: 1_795_299_900, replicas: 1) }
        _ = try store.ingest(CollectedBatch(source: "t", inventory: records))
        let expected = records.map(\.container).sorted()
        #expect(try store.containers() == expected)
        #expect(try store.latestInventory().map(\.container) == expected)
    }
}
