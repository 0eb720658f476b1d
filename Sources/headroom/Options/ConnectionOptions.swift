import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomHTTP

/// How to reach an HTTP endpoint: TLS, credentials, headers, timeout.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File with a bearer token.", valueName: "path"))
    var bearerTokenFile: String?

    @Option(help: ArgumentHelp("Basic-auth user; the password comes from --basic-auth-password-file.", valueName: "user"))
    var basicAuthUser: String?

    @Option(help: ArgumentHelp("File with the basic-auth password.", valueName: "path"))
    var basicAuthPasswordFile: String?

    @Option(help: ArgumentHelp("PEM file of the CA to trust instead of the system's.", valueName: "path"))
    var caFile: String?

    @Option(help: ArgumentHelp("PEM client certificate.", valueName: "path"))
    var certFile: String?

    @Option(help: ArgumentHelp("PEM client key.", valueName: "path"))
    var keyFile: String?

    @Flag(help: "Do not verify the server's certificate (only for testing).")
    var insecureSkipVerify = false

    @Option(help: ArgumentHelp("Extra header 'Name: value' (repeatable), e.g. 'X-Scope-OrgID: team-a'.", valueName: "header"))
    var header: [String] = []

    @Option(help: "Timeout of one request, such as 30s or 2m.")
    var timeout: String = "30s"

    func validate() throws {
        for value in header where !value.contains(":") {
            throw ValidationError("--header must look like 'Name: value', got \"\(value)\"")
        }
        if (certFile == nil) != (keyFile == nil) { throw ValidationError("--cert-file and --key-file go together") }
        if (basicAuthUser == nil) != (basicAuthPasswordFile == nil) {
            throw ValidationError("--basic-auth-user and --basic-auth-password-file go together")
        }
        do { _ = try DurationParser.seconds(timeout) } catch { throw ValidationError(error.description) }
    }

    func configuration() throws -> HTTPClientConfiguration {
        var authentication: HTTPAuthentication?
        if let path = bearerTokenFile {
            authentication = .bearer(token: try readSecret(path, what: "bearer token"))
        } else if let user = basicAuthUser, let path = basicAuthPasswordFile {
            authentication = .basic(user: user, password: try readSecret(path, what: "basic-auth password"))
        }
        let headers = header.map { value -> (name: String, value: String) in
            let parts = value.split(separator: ":", maxSplits: 1)
            return (String(parts[0]).trimmingCharacters(in: .whitespaces), String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
        return HTTPClientConfiguration(
            timeout: .seconds(try DurationParser.seconds(timeout)),
            tls: TLSConfiguration(caFile: caFile, clientCertificateFile: certFile, clientKeyFile: keyFile, insecureSkipVerify: insecureSkipVerify),
            authentication: authentication, headers: headers)
    }

    private func readSecret(_ path: String, what: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the \(what) file \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
