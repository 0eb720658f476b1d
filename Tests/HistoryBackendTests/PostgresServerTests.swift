import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomHistoryPostgres
import HeadroomTesting
import Testing

/// The PostgreSQL backend against the real server: failures, and several writers at once.
@Suite struct PostgresServerTests {
    let api = ContainerID(cluster: "production", namespace: "prod", kind: .deployment, workload: "api", container: "app")

    @Test("a server that is down gives an error naming the URL and the refused connection")
    func serverDown() async throws {
        let server = try TestPostgres.current()
        var location = server.location
        location.port = Int(try freeLoopbackPort())
        await #expect {
            _ = try await PostgresHistoryStore.open(location)
        } throws: { error in
            let message = (error as? HistoryError)?.message ?? ""
            return message.hasPrefix("history store postgres://headroom@127.0.0.1:\(location.port)/headroom") && message.contains("connect")
        }
    }

    @Test("a wrong password is refused by the server, and neither password appears in the error")
    func wrongPassword() async throws {
        let server = try TestPostgres.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var location = server.location
        location.passwordFile = try directory.write("password", "not-the-password-7f3a\n")
        let real = try String(contentsOfFile: server.location.passwordFile ?? "", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        await #expect {
            _ = try await PostgresHistoryStore.open(location)
        } throws: { error in
            let message = (error as? HistoryError)?.message ?? ""
            return message.contains("password authentication failed") && !message.contains("not-the-password-7f3a") && !message.contains(real)
        }
    }

    @Test("replicas opening one new database together migrate it once")
    func concurrentMigration() async throws {
        let database = try await TestPostgres.current().createDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresHistoryStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresHistoryStore.open(database.location) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores {
            #expect(try await store.appliedMigrations() == HistoryStore.migrationIdentifiers)
            store.close()
        }
        try await database.drop()
    }

    @Test("two replicas ingesting the same new containers at once store each container once and every bucket")
    func concurrentIngest() async throws {
        let database = try await TestPostgres.current().createDatabase()
        let one = try await PostgresHistoryStore.open(database.location)
        let other = try await PostgresHistoryStore.open(database.location)
        let containers = (0..<50).map { ContainerID(cluster: "production", namespace: "prod", kind: .deployment, workload: "w\($0)", container: "app") }
        func batch(_ offset: Int64) -> CollectedBatch {
            CollectedBatch(source: "replica", usage: containers.flatMap { container in
                (0..<12).map { index in
                    let start = offset + Int64(index) * 300
                    return UsageBucket(container: container, resource: .cpu,
                                       stats: BucketStats(start: start, count: 5, mean: 1, max: 2, firstSampleMillis: start * 1000,
                                                          lastSampleMillis: start * 1000 + 240_000))
                }
            })
        }
        async let first = one.ingest(one: batch(0))
        async let second = other.ingest(one: batch(3600))
        let summaries = try await [first, second]
        #expect(summaries.map(\.newContainers).reduce(0, +) == 50)
        #expect(try await one.containers(cluster: "production") == containers.sorted())
        for container in containers.prefix(3) {
            #expect(try await other.buckets(container, resource: .cpu, from: 0, to: 7200, resolution: .fiveMinutes).count == 24)
        }
        one.close()
        other.close()
        try await database.drop()
    }

    @Test("text with tabs, newlines and backslashes travels through COPY intact")
    func copyEscaping() async throws {
        try await StoreBackend.postgres.withStore { store in
            let odd = ContainerID(cluster: "c\\1", namespace: "n\tm", kind: .deployment, workload: "w\nx", container: "a\rb")
            let event = ContainerEvent(container: odd, pod: "p\\\\q\tr", time: 1, kind: .restart)
            try await store.ingest(one: CollectedBatch(source: "s", events: [event]))
            #expect(try await store.events(kind: nil, cluster: nil) == [event])
            #expect(try await store.containers(cluster: "c\\1") == [odd])
        }
    }
}

/// A store whose database goes away while it is open.
@Suite struct PostgresOutageTests {
    @Test("when the database disappears, the next read fails with an error naming what it was doing, not a hang")
    func databaseGone() async throws {
        let database = try await TestPostgres.current().createDatabase()
        let store = try await PostgresHistoryStore.open(database.location, connections: 1, operationTimeout: .seconds(5))
        #expect(try await store.containers(cluster: nil).isEmpty)
        try await database.drop()
        await #expect {
            _ = try await store.containers(cluster: nil)
        } throws: { error in
            let message = (error as? HistoryError)?.message ?? ""
            return message.hasPrefix("history store \(database.location): read the containers: ")
        }
        store.close()
    }
}

/// Several writers storing the same new buckets of existing containers at once.
@Suite struct PostgresConcurrentWritersTests {
    @Test("four writers storing the same later buckets at once all succeed and leave one row per bucket")
    func sameBuckets() async throws {
        let database = try await TestPostgres.current().createDatabase()
        var stores: [PostgresHistoryStore] = []
        for _ in 0..<4 { stores.append(try await PostgresHistoryStore.open(database.location)) }
        let containers = (0..<20).map { ContainerID(cluster: "production", namespace: "prod", kind: .deployment, workload: "w\($0)", container: "app") }
        func buckets(from: Int, count: Int) -> CollectedBatch {
            CollectedBatch(source: "shared", usage: containers.flatMap { container in
                (from..<from + count).map { index in
                    let start = Int64(index) * 300
                    return UsageBucket(container: container, resource: .memory,
                                       stats: BucketStats(start: start, count: 5, mean: Double(index), max: Double(index) + 1,
                                                          firstSampleMillis: start * 1000, lastSampleMillis: start * 1000 + 240_000))
                }
            }, watermark: Int64(from + count) * 300)
        }
        _ = try await stores[0].ingest(one: buckets(from: 0, count: 1))
        for round in 1...5 {
            let batch = buckets(from: round * 100, count: 100)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { _ = try await store.ingest(one: batch) } }
                try await group.waitForAll()
            }
        }
        for container in containers.prefix(5) {
            let stored = try await stores[1].buckets(container, resource: .memory, from: 0, to: 600 * 300, resolution: .fiveMinutes)
            #expect(stored.count == 501)
            #expect(stored.allSatisfy { $0.count == 5 && $0.mean == Double($0.start / 300) })
        }
        #expect(try await stores[2].watermark(source: "shared") == 600 * 300)
        for store in stores { store.close() }
        try await database.drop()
    }
}
