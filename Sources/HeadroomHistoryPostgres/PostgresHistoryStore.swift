import Foundation
import HeadroomCore
import HeadroomHistory
import Logging
import NIOSSL
import PostgresNIO

/// The history store in a shared PostgreSQL (`--db postgres://…`): what several service replicas
/// and several clusters' collectors write to and read from. Same schema, migrations and ingest
/// rules as the SQLite store (`HistoryBackend`).
///
/// Every write is one transaction. Opening the store brings the schema up to date under an
/// advisory lock, so replicas that start together migrate once.
public final class PostgresHistoryStore: HistoryBackend, Sendable {
    /// The database URL without credentials.
    public let location: String
    let client: PostgresClient
    let logger: Logger
    /// How long one operation (a query, an ingest, a retention pass) may take before it fails.
    let operationTimeout: Duration
    private let runner: Task<Void, Never>

    private init(location: PostgresLocation, configuration: PostgresClient.Configuration, operationTimeout: Duration, logger: Logger) {
        self.location = location.description
        self.logger = logger
        self.operationTimeout = operationTimeout
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // Started at once, on this thread, up to its first suspension: `run()` marks the pool
        // running before that, so the first query never finds it not yet started (the driver
        // warns then, on the user's terminal).
        runner = Task.immediate { await client.run() }
    }

    /// Connects (with at most `connections` connections) and migrates the schema; an operation
    /// that has no answer within `operationTimeout` fails instead of waiting for ever. Errors name
    /// the URL without credentials and say what failed: the password file, the connection, a migration.
    public static func open(
        _ location: PostgresLocation, connections: Int = 4, operationTimeout: Duration = .seconds(300),
        logger: Logger = PostgresHistoryStore.defaultLogger
    ) async throws(HistoryError) -> PostgresHistoryStore {
        let password = try location.password()
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: password, database: location.database,
            tls: try tlsConfiguration(location).map { .require($0) } ?? .disable)
        configuration.options.maximumConnections = max(1, connections)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", "headroom")]
        // The pool retries a failed connection in the background and keeps requests waiting; one
        // direct attempt first turns a server that is down or a refused login into an error now.
        try await probe(location, configuration: configuration, tls: try tlsConfiguration(location))
        let store = PostgresHistoryStore(location: location, configuration: configuration, operationTimeout: operationTimeout, logger: logger)
        do {
            try await store.migrate()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    private static func probe(
        _ location: PostgresLocation, configuration: PostgresClient.Configuration, tls: TLSConfiguration?
    ) async throws(HistoryError) {
        do {
            var direct = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: configuration.username, password: configuration.password,
                database: configuration.database, tls: try tls.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable)
            direct.options.connectTimeout = .seconds(10)
            direct.options.additionalStartupParameters = configuration.options.additionalStartupParameters
            let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: quietLogger)
            try? await connection.close()
        } catch {
            throw HistoryError("history store \(location): \(describe(error))")
        }
    }

    /// For the direct probe: its failure is the error the caller gets, not a log line.
    private static let quietLogger: Logger = {
        var logger = Logger(label: "headroom.history.postgres.probe")
        logger.logLevel = .critical
        return logger
    }()

    /// Warnings and worse: the driver reports every retried connection at info.
    public static let defaultLogger: Logger = {
        var logger = Logger(label: "headroom.history.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// Closes the connections; the store is unusable afterwards.
    public func close() {
        runner.cancel()
    }

    /// Cancels the pool and waits for its `run()` to return, for at most `timeout`: what a command
    /// does before the process exits. Returns whether it returned in time. Under heavy load one
    /// connection was seen to stay open after that (a test of it was removed), so this does not
    /// promise that every connection is closed; the process exit still closes what is left.
    @discardableResult
    public func shutDown(timeout: Duration = .seconds(5)) async -> Bool {
        runner.cancel()
        let runner = self.runner
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await runner.value; return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let finished = await group.next() ?? false
            group.cancelAll()
            return finished
        }
    }

    deinit { runner.cancel() }

    /// The TLS settings of `location`, or nil for plain TCP.
    private static func tlsConfiguration(_ location: PostgresLocation) throws(HistoryError) -> TLSConfiguration? {
        switch location.tls {
        case .disable:
            return nil
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return configuration
        case .verifyFull(let rootFile):
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let rootFile {
                guard FileManager.default.isReadableFile(atPath: rootFile) else {
                    throw HistoryError("database CA file \(rootFile) (sslrootcert): cannot read it")
                }
                configuration.trustRoots = .file(rootFile)
            }
            return configuration
        }
    }

    // MARK: - Migrations

    /// A fixed key for `pg_advisory_xact_lock`: replicas that open the store at once migrate in turn.
    static let migrationLockKey: Int64 = 0x4845_4144_524F_4F4D  // "HEADROOM"

    /// Not bounded by `operationTimeout`: the probe has shown the server is up, and a migration
    /// of a large store may rightly take long.
    private func migrate() async throws(HistoryError) {
        try await transaction("migrate the schema", bounded: false) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: self.logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: self.logger)
            var applied = Set<String>()
            for try await identifier in try await connection.query("SELECT identifier FROM schema_migrations", logger: self.logger)
                .decode(String.self) {
                applied.insert(identifier)
            }
            let known = Set(PostgresMigrations.all.map(\.identifier))
            if let unknown = applied.subtracting(known).sorted().first {
                throw HistoryError("history store \(self.location): the schema has migration \(unknown), which this Headroom does not know: "
                                   + "a newer version wrote it; upgrade Headroom")
            }
            for migration in PostgresMigrations.all where !applied.contains(migration.identifier) {
                for statement in Self.statements(migration.sql) {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                    } catch {
                        throw HistoryError("history store \(self.location): migration \(migration.identifier) failed: \(Self.describe(error))")
                    }
                }
                try await connection.query("INSERT INTO schema_migrations (identifier) VALUES (\(migration.identifier))", logger: self.logger)
            }
        }
    }

    /// A migration's statements (the extended protocol takes one at a time).
    static func statements(_ sql: String) -> [String] {
        sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    public func appliedMigrations() async throws(HistoryError) -> [String] {
        let applied = try await collect("read the migrations", "SELECT identifier FROM schema_migrations", as: String.self)
        return PostgresMigrations.all.map(\.identifier).filter(applied.contains)
    }

    // MARK: - Plumbing

    /// Runs `body` in one transaction (committed when it returns, rolled back when it throws),
    /// within `operationTimeout` unless `bounded` is false.
    func transaction<T: Sendable>(_ what: String, bounded: Bool = true,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(HistoryError) -> T {
        try await self.bounded(what, timeout: bounded ? operationTimeout : nil) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Every row of a one-column query.
    func collect<T: PostgresDecodable & Sendable>(_ what: String, _ query: PostgresQuery, as type: T.Type) async throws(HistoryError) -> [T] {
        try await rows(what, query) { row in try row.decode(T.self) }
    }

    /// Every row of a query, each made into a value by `make`.
    func rows<T: Sendable>(_ what: String, _ query: PostgresQuery, _ make: @escaping @Sendable (PostgresRow) throws -> T) async throws(HistoryError) -> [T] {
        try await bounded(what, timeout: operationTimeout) { [client, logger] in
            var values: [T] = []
            for try await row in try await client.query(query, logger: logger) { values.append(try make(row)) }
            return values
        }
    }

    /// Runs `body`, failing with an error that names `what` when it throws or when it has not
    /// finished within `operationTimeout` (the pool keeps a request waiting while it retries a
    /// server that went away; an answer beats a hang).
    private func bounded<T: Sendable>(_ what: String, timeout: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws(HistoryError) -> T {
        do {
            guard let timeout else { return try await body() }
            return try await withThrowingTaskGroup(of: T.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw OperationTimedOut(timeout: timeout)
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
        } catch {
            let cause = Self.unwrapped(error)
            if let cause = cause as? HistoryError { throw cause }
            throw HistoryError("history store \(location): \(what): \(Self.describe(cause))")
        }
    }

    /// The error inside a transaction's wrapper: what the closure threw, else BEGIN's, COMMIT's or ROLLBACK's.
    static func unwrapped(_ error: any Error) -> any Error {
        guard let wrapper = error as? PostgresTransactionError else { return error }
        return wrapper.closureError ?? wrapper.beginError ?? wrapper.commitError ?? wrapper.rollbackError ?? error
    }

    private struct OperationTimedOut: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "no answer within \(timeout) (is the server up?)" }
    }

    /// What went wrong, in the server's words when it answered; never a credential (the driver's
    /// own description is deliberately generic, and the query text is not included).
    static func describe(_ error: any Error) -> String {
        let error = unwrapped(error)
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                let detail = error.serverInfo?[.detail].map { ": \($0)" } ?? ""
                return message + detail + state
            }
            switch error.code {
            case .connectionError: return "cannot connect" + (error.underlying.map { ": \($0)" } ?? "")
            case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
            case .authMechanismRequiresPassword: return "the server asks for a password: pass --db-password-file"
            case .sslUnsupported: return "the server does not offer TLS (use sslmode=disable only on a trusted network)"
            case .poolClosed: return "the store is closed"
            default: return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
            }
        }
        if let error = error as? PostgresDecodingError {
            return "column \(error.columnName) of type \(error.postgresType) did not decode as \(error.targetType): \(error.code)"
        }
        return String(describing: error)
    }
}
