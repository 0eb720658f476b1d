import HeadroomHistory
import Testing

/// Alert states and the notification outbox, on both backends.
@Suite struct BackendAlertTests {
    func row(_ key: String, state: String = "budget/dev", sink: String = "webhook", severity: String = "warning", at: Int64 = 100,
             deliverAt: Int64 = 100) -> AlertOutboxRow {
        AlertOutboxRow(idempotencyKey: key, sink: sink, target: "https://hooks.example/a", stateKey: state, event: "firing", severity: severity,
                       createdAt: at, deliverAt: deliverAt, payload: Array("{\"k\":\"\(key)\"}".utf8))
    }

    @Test("a decision stores states and rows once; the same decision again inserts nothing", arguments: StoreBackend.allCases)
    func idempotentDecision(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let state = AlertStateRow(key: "budget/dev", status: "firing", updatedAt: 100, body: [0, 1, 2, 255])
            let first = try await store.recordAlertDecision(states: [state], outbox: [row("k1"), row("k2", sink: "email")], cancellable: [:],
                                                            limit: 100, dropOrder: [], at: 100)
            #expect(first.inserted == 2 && first.dropped == 0 && first.cancelled == 0)
            var resolved = state
            resolved.status = "resolved"
            resolved.updatedAt = 200
            let again = try await store.recordAlertDecision(states: [resolved], outbox: [row("k1"), row("k2", sink: "email")], cancellable: [:],
                                                            limit: 100, dropOrder: [], at: 200)
            #expect(again.inserted == 0)
            #expect(try await store.alertStates() == [resolved])
            let outbox = try await store.alertOutbox()
            #expect(outbox.map(\.idempotencyKey) == ["k1", "k2"] && outbox[0].payload == Array("{\"k\":\"k1\"}".utf8))
        }
    }

    @Test("due rows wait for their delivery time and backoff; failures count, deliveries leave the queue", arguments: StoreBackend.allCases)
    func delivery(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.recordAlertDecision(states: [], outbox: [row("now"), row("later", deliverAt: 500)], cancellable: [:], limit: 100,
                                                dropOrder: [], at: 100)
            let due = try await store.dueAlertOutbox(at: 100)
            #expect(due.map(\.idempotencyKey) == ["now"])
            let id = try #require(due.first?.id)
            try await store.markAlertsFailed([id], nextAttemptAt: 160, error: "503 from the webhook")
            #expect(try await store.dueAlertOutbox(at: 150).isEmpty)
            let retried = try #require(try await store.dueAlertOutbox(at: 160).first)
            #expect(retried.attempts == 1 && retried.lastError == "503 from the webhook")
            try await store.assignAlertDigest([id], digest: "d1")
            try await store.assignAlertDigest([id], digest: "d2")
            try await store.markAlertsDelivered([id], at: 170)
            #expect(try await store.dueAlertOutbox(at: 600).map(\.idempotencyKey) == ["later"])
            let delivered = try #require(try await store.alertOutbox().first)
            #expect(delivered.deliveredAt == 170 && delivered.digest == "d1" && delivered.lastError == nil)
            let counts = try await store.alertOutboxCounts()
            #expect(counts.pending == 1 && counts.delivered == 1 && counts.failedAttempts == 1 && counts.dropped == 0 && counts.cancelled == 0)
        }
    }

    @Test("what resolves before anything of it went out is dropped, and its new rows are not written", arguments: StoreBackend.allCases)
    func cancellation(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.recordAlertDecision(states: [], outbox: [row("fire-a", state: "a", deliverAt: 900), row("fire-b", state: "b")],
                                                cancellable: [:], limit: 100, dropOrder: [], at: 100)
            let b = try #require(try await store.dueAlertOutbox(at: 100).first?.id)
            try await store.markAlertsDelivered([b], at: 110)
            let result = try await store.recordAlertDecision(
                states: [], outbox: [row("resolve-a", state: "a", at: 200), row("resolve-b", state: "b", at: 200)],
                cancellable: ["a": 100, "b": 100], limit: 100, dropOrder: [], at: 200)
            #expect(result.cancelled == 1 && result.inserted == 1)
            let outbox = try await store.alertOutbox()
            #expect(outbox.map(\.idempotencyKey) == ["fire-a", "fire-b", "resolve-b"])
            #expect(outbox[0].lastError == "resolved before it was due")
            #expect(try await store.alertOutboxCounts().cancelled == 1)
        }
    }

    @Test("past the limit, the oldest of the first severity in the drop order go first", arguments: StoreBackend.allCases)
    func queueLimit(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let rows = [row("i1", severity: "info", at: 1), row("w1", severity: "warning", at: 2), row("i2", severity: "info", at: 3),
                        row("c1", severity: "critical", at: 4), row("w2", severity: "warning", at: 5)]
            let result = try await store.recordAlertDecision(states: [], outbox: rows, cancellable: [:], limit: 2,
                                                             dropOrder: ["info", "warning"], at: 10)
            #expect(result.inserted == 5 && result.dropped == 3)
            #expect(try await store.dueAlertOutbox(at: 1000).map(\.idempotencyKey) == ["c1", "w2"])
            let counts = try await store.alertOutboxCounts()
            #expect(counts.dropped == 3 && counts.droppedBySeverity == ["info": 2, "warning": 1])
        }
    }
}
