import Foundation
import HeadroomCore
@testable import HeadroomHistory
import HeadroomTesting
import Testing

/// A stored row that no longer decodes is reported, naming it, instead of silently read as empty.
@Suite struct StoredRowWarningTests {
    @Test("labels and annotations that are not JSON are left empty and named in the store's warnings")
    func undecodableLabels() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let id = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
        _ = try store.ingest(CollectedBatch(source: "t", inventory: [
            InventoryRecord(container: id, observedAt: 1_795_300_000, replicas: 2, annotations: ["headroom.io/quantile": "0.95"], labels: ["team": "web"]),
        ]))
        #expect(try store.latestInventory().first?.labels == ["team": "web"] && store.takeWarnings().isEmpty)
        try store.write { db in try db.execute(sql: "UPDATE inventory SET labels = '{not json', annotations = '[1]'") }
        let record = try #require(try store.latestInventory().first)
        #expect(record.labels.isEmpty && record.annotations.isEmpty && record.replicas == 2)
        #expect(store.takeWarnings() == [
            "stored annotations of shop/Deployment/web/web observed at 1795300000 are not a JSON object of strings: ignored",
            "stored labels of shop/Deployment/web/web observed at 1795300000 are not a JSON object of strings: ignored",
        ])
        #expect(store.takeWarnings().isEmpty, "taken once")
    }
}
