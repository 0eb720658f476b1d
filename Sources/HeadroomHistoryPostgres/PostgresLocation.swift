import Foundation
import HeadroomHistory

/// Where a shared PostgreSQL history store lives, from `--db` / `HEADROOM_DB`:
/// `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|require|verify-full&sslrootcert=FILE]`.
///
/// The password is never part of the URL (a command line shows in `ps` and shell history, an
/// environment in crash reports): it comes from a file (`--db-password-file`,
/// `HEADROOM_DB_PASSWORD_FILE`). A URL that carries one is refused, and the refusal does not
/// repeat it. `description` is the URL without any credential, for logs and errors.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is encrypted (libpq's `sslmode` words).
    public enum TLSMode: Sendable, Hashable {
        /// Plain TCP (a loopback or a private network the operator trusts).
        case disable
        /// Encrypted, the server's certificate not checked.
        case require
        /// Encrypted, the certificate checked against the system's roots or `rootCertificateFile`, host name included.
        case verifyFull(rootCertificateFile: String?)
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// The file holding the password (its first line), or nil for none (trust or certificate logins).
    public var passwordFile: String?

    public init(host: String, port: Int = 5432, user: String, database: String, tls: TLSMode = .verifyFull(rootCertificateFile: nil),
                passwordFile: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.tls = tls
        self.passwordFile = passwordFile
    }

    /// Parses a `postgres://` or `postgresql://` URL; errors name the part that is wrong.
    /// Without `sslmode`, loopback hosts default to `disable` and every other host to `verify-full`.
    public init(url text: String, passwordFile: String? = nil) throws(HistoryError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw HistoryError("database URL \(Self.redacted(text)): expected postgres://USER@HOST:PORT/DATABASE")
        }
        if components.password != nil {
            throw HistoryError("database URL \(Self.redacted(text)) carries a password: put it in a file and pass --db-password-file "
                               + "(or HEADROOM_DB_PASSWORD_FILE); a command line shows in ps and shell history")
        }
        guard let host = components.host, !host.isEmpty else { throw HistoryError("database URL \(Self.redacted(text)): no host") }
        guard let user = components.user, !user.isEmpty else { throw HistoryError("database URL \(Self.redacted(text)): no user (postgres://USER@HOST/DATABASE)") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw HistoryError("database URL \(Self.redacted(text)): no database name (postgres://USER@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw HistoryError("database URL \(Self.redacted(text)): port \(port) is out of range") }
        var mode: String?
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": mode = item.value
            case "sslrootcert": rootCertificate = item.value
            default: throw HistoryError("database URL \(Self.redacted(text)): unknown parameter \(item.name) (known: sslmode, sslrootcert)")
            }
        }
        let tls: TLSMode
        switch mode {
        case nil: tls = Self.isLoopback(host) ? .disable : .verifyFull(rootCertificateFile: rootCertificate)
        case "disable": tls = .disable
        case "require": tls = .require
        case "verify-full": tls = .verifyFull(rootCertificateFile: rootCertificate)
        case let other?:
            throw HistoryError("database URL \(Self.redacted(text)): sslmode \(other) is not supported (disable, require, verify-full)")
        }
        self.init(host: host, port: port, user: user, database: database, tls: tls, passwordFile: passwordFile)
    }

    public var description: String {
        let mode: String
        switch tls {
        case .disable: mode = "disable"
        case .require: mode = "require"
        case .verifyFull: mode = "verify-full"
        }
        return "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(mode)"
    }

    /// The same server and credentials, another database (tests give each its own).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// The password from `passwordFile` (its first line, trailing whitespace removed); errors
    /// name the file, never its content.
    func password() throws(HistoryError) -> String? {
        guard let passwordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: passwordFile) else {
            throw HistoryError("database password file \(passwordFile): cannot read it")
        }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        let password = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !password.isEmpty else { throw HistoryError("database password file \(passwordFile): its first line is empty") }
        return password
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The URL with any password replaced by `***` (what errors may show).
    static func redacted(_ text: String) -> String {
        if var components = URLComponents(string: text) {
            guard components.password != nil else { return text }
            components.password = "***"
            return components.string ?? "postgres://***"
        }
        // Not a URL Foundation reads: hide whatever sits between the scheme and an `@`.
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "***" + String(text[at...])
    }
}
