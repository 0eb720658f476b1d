import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomHistoryPostgres
import HeadroomTesting
import Logging
import PostgresNIO
import Testing

/// The two history backends the store suite runs against: a fresh SQLite file, and a fresh
/// database in the real PostgreSQL that `scripts/with-postgres` starts (as `make test` does).
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with an empty store of this backend, removed afterwards.
    func withStore(_ body: (any HistoryBackend) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory(prefix: "headroom-backend")
            defer { directory.remove() }
            try await body(try HistoryStore(path: directory.file("h.sqlite")))
        case .postgres:
            let database = try await TestPostgres.current().createDatabase()
            let store = try await PostgresHistoryStore.open(database.location, connections: 2)
            do {
                try await body(store)
            } catch {
                store.close()
                try? await database.drop()
                throw error
            }
            store.close()
            try await database.drop()
        }
    }
}

/// The server `scripts/with-postgres` started: its URL (no password in it) and password file.
struct TestPostgres {
    let location: PostgresLocation

    /// Reads the environment; a failure (not a skip) when the tests run without the server.
    static func current() throws -> TestPostgres {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["HEADROOM_TEST_POSTGRES_URL"], let passwordFile = environment["HEADROOM_TEST_POSTGRES_PASSWORD_FILE"] else {
            throw MissingPostgres()
        }
        return TestPostgres(location: try PostgresLocation(url: url, passwordFile: passwordFile))
    }

    /// A database of the test's own (the role may create databases), dropped by `drop()`.
    func createDatabase() async throws -> TestDatabase {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Self.logger)
        }
        return TestDatabase(server: self, name: name)
    }

    /// Runs `body` on a connection to the server's own database.
    func admin(_ body: (PostgresConnection) async throws -> Void) async throws {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: try String(contentsOfFile: location.passwordFile ?? "", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines),
            database: location.database, tls: .disable)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
            do {
                try await body(connection)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            // The driver's own description hides the server's message; a test wants it.
            throw AdminFailure(detail: String(reflecting: error))
        }
    }

    struct AdminFailure: Error, CustomStringConvertible {
        let detail: String
        var description: String { "test database administration failed: \(detail)" }
    }

    static let logger = Logger(label: "headroom.tests.postgres")
}

struct TestDatabase {
    let server: TestPostgres
    let name: String

    var location: PostgresLocation { server.location.with(database: name) }

    func drop() async throws {
        try await server.admin { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: TestPostgres.logger)
        }
    }
}

/// The tests were started without `scripts/with-postgres`.
struct MissingPostgres: Error, CustomStringConvertible {
    var description: String { "no PostgreSQL: run the tests with 'make test' or 'scripts/with-postgres swift test'" }
}

/// Buckets of plain (time, value) samples, the way importers make them.
func usageBatch(_ container: ContainerID, _ samples: [(Double, Double)], resource: ResourceKind = .cpu, source: String = "test") throws -> CollectedBatch {
    let stats = try BucketAggregator.aggregate(samples.map { Sample(time: $0.0, value: $0.1) })
    return CollectedBatch(source: source, usage: stats.map { UsageBucket(container: container, resource: resource, stats: $0) },
                          rawSampleCount: samples.count, watermark: samples.map { Int64($0.0) }.max())
}
