import HeadroomHistory
import HeadroomHistoryPostgres
import Testing

/// `--db postgres://…` parsing: no password on a command line, TLS by default off loopback.
@Suite struct PostgresLocationTests {
    @Test("a URL with a password is refused without repeating it")
    func refusesPassword() {
        #expect {
            _ = try PostgresLocation(url: "postgres://headroom:s3cr3t-value@db.internal:5432/headroom")
        } throws: { error in
            let message = (error as? HistoryError)?.message ?? ""
            return message.contains("--db-password-file") && !message.contains("s3cr3t-value") && message.contains("db.internal")
        }
    }

    @Test("loopback defaults to plain TCP, other hosts to verified TLS")
    func tlsDefaults() throws {
        let local = try PostgresLocation(url: "postgres://headroom@127.0.0.1:6543/fleet")
        #expect(local.tls == .disable && local.port == 6543 && local.database == "fleet" && local.user == "headroom")
        let remote = try PostgresLocation(url: "postgresql://headroom@db.internal/fleet")
        #expect(remote.tls == .verifyFull(rootCertificateFile: nil) && remote.port == 5432)
        let pinned = try PostgresLocation(url: "postgres://headroom@db.internal/fleet?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(pinned.tls == .verifyFull(rootCertificateFile: "/etc/ca.pem"))
        #expect(try PostgresLocation(url: "postgres://h@db.internal/f?sslmode=require").tls == .require)
        #expect(remote.description == "postgres://headroom@db.internal:5432/fleet?sslmode=verify-full")
    }

    @Test("each malformed URL names what is wrong", arguments: [
        ("mysql://u@h/d", "expected postgres://"),
        ("postgres://h/d", "no user"),
        ("postgres://u@h", "no database name"),
        ("postgres://u@h/d?sslmode=allow", "sslmode allow is not supported"),
        ("postgres://u@h/d?timeout=3", "unknown parameter timeout"),
        ("postgres://u@h:70000/d", "port"),
    ])
    func malformed(url: String, reason: String) {
        #expect {
            _ = try PostgresLocation(url: url)
        } throws: { error in
            (error as? HistoryError)?.message.contains(reason) == true
        }
    }

    @Test("a missing or empty password file is named, its content never")
    func passwordFile() async throws {
        let location = try PostgresLocation(url: "postgres://headroom@127.0.0.1:1/x", passwordFile: "/nonexistent/password")
        await #expect {
            _ = try await PostgresHistoryStore.open(location)
        } throws: { error in
            (error as? HistoryError)?.message == "database password file /nonexistent/password: cannot read it"
        }
    }
}
