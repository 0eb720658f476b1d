import Foundation
import HeadroomHTTP
import Yams

/// Where the Kubernetes API is and how to authenticate: from a kubeconfig file (current context
/// or a named one) or from a pod's service account.
public struct KubernetesConnection: Sendable {
    public var server: String
    public var tls: TLSConfiguration
    public var authentication: HTTPAuthentication?
    /// The context's default namespace, when it has one.
    public var namespace: String?

    public init(server: String, tls: TLSConfiguration = TLSConfiguration(), authentication: HTTPAuthentication? = nil, namespace: String? = nil) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.authentication = authentication
        self.namespace = namespace
    }

    /// The service account of the pod Headroom runs in (token and CA under `root`).
    public static func inCluster(
        root: String = "/var/run/secrets/kubernetes.io/serviceaccount",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> KubernetesConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw KubernetesError("not running in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (pass --kubeconfig)")
        }
        guard let token = try? String(contentsOfFile: "\(root)/token", encoding: .utf8) else {
            throw KubernetesError("cannot read the service account token at \(root)/token")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return KubernetesConnection(
            server: "https://\(hostPart):\(port)", tls: TLSConfiguration(caFile: "\(root)/ca.crt"),
            authentication: .bearer(token: token.trimmingCharacters(in: .whitespacesAndNewlines)),
            namespace: try? String(contentsOfFile: "\(root)/namespace", encoding: .utf8))
    }

    /// Reads a kubeconfig. Embedded certificate data (`*-data`) is written to files in
    /// `secretsDirectory` (mode 0600) because libcurl takes certificates by path.
    public static func fromKubeconfig(path: String, context: String? = nil, secretsDirectory: String) throws -> KubernetesConnection {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KubernetesError("cannot read kubeconfig \(path)")
        }
        let config: Kubeconfig
        do {
            config = try YAMLDecoder(encoding: .utf8).decode(Kubeconfig.self, from: text)
        } catch {
            throw KubernetesError("kubeconfig \(path) is not valid: \(error)")
        }
        guard let contextName = context ?? config.currentContext, !contextName.isEmpty else {
            throw KubernetesError("kubeconfig \(path) has no current-context; pass --context")
        }
        guard let entry = config.contexts?.first(where: { $0.name == contextName })?.context else {
            throw KubernetesError("kubeconfig \(path) has no context \"\(contextName)\" (has: \((config.contexts ?? []).map(\.name).joined(separator: ", ")))")
        }
        guard let cluster = config.clusters?.first(where: { $0.name == entry.cluster })?.cluster else {
            throw KubernetesError("kubeconfig \(path): context \"\(contextName)\" names cluster \"\(entry.cluster)\", which is not defined")
        }
        let user = entry.user.flatMap { name in config.users?.first { $0.name == name }?.user }
        let base = (path as NSString).deletingLastPathComponent
        func resolve(_ file: String?) -> String? {
            guard let file else { return nil }
            return file.hasPrefix("/") || base.isEmpty ? file : "\(base)/\(file)"
        }
        func materialize(_ data: String?, _ name: String) throws -> String? {
            guard let data else { return nil }
            guard let bytes = Data(base64Encoded: data.filter { !$0.isWhitespace }) else {
                throw KubernetesError("kubeconfig \(path): \(name) is not base64")
            }
            try FileManager.default.createDirectory(atPath: secretsDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let target = "\(secretsDirectory)/\(name)"
            guard FileManager.default.createFile(atPath: target, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
                throw KubernetesError("cannot write \(target)")
            }
            return target
        }

        if let user {
            if let exec = user.exec {
                throw KubernetesError("kubeconfig user \"\(entry.user ?? "")\" gets credentials from the exec plugin \"\(exec.command)\", which Headroom cannot run here; use a kubeconfig with a token or a client certificate (for example a service account token)")
            }
            if let provider = user.authProvider {
                throw KubernetesError("kubeconfig user \"\(entry.user ?? "")\" uses the \(provider.name) auth-provider, which Headroom does not support; use a token or a client certificate")
            }
        }
        var authentication: HTTPAuthentication?
        if let token = user?.token {
            authentication = .bearer(token: token)
        } else if let tokenFile = resolve(user?.tokenFile) {
            guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw KubernetesError("cannot read the token file \(tokenFile)")
            }
            authentication = .bearer(token: token.trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let username = user?.username, let password = user?.password {
            authentication = .basic(user: username, password: password)
        }
        let tls = TLSConfiguration(
            caFile: try resolve(cluster.certificateAuthority) ?? materialize(cluster.certificateAuthorityData, "ca.crt"),
            clientCertificateFile: try resolve(user?.clientCertificate) ?? materialize(user?.clientCertificateData, "client.crt"),
            clientKeyFile: try resolve(user?.clientKey) ?? materialize(user?.clientKeyData, "client.key"),
            insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false)
        return KubernetesConnection(server: cluster.server, tls: tls, authentication: authentication, namespace: entry.namespace)
    }
}

/// The parts of a kubeconfig file Headroom reads.
private struct Kubeconfig: Decodable {
    struct NamedCluster: Decodable { var name: String; var cluster: Cluster }
    struct Cluster: Decodable {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }
    struct NamedContext: Decodable { var name: String; var context: Context }
    struct Context: Decodable { var cluster: String; var user: String?; var namespace: String? }
    struct NamedUser: Decodable { var name: String; var user: User }
    struct User: Decodable {
        struct Exec: Decodable { var command: String }
        struct AuthProvider: Decodable { var name: String }
        var token: String?
        var tokenFile: String?
        var username: String?
        var password: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var exec: Exec?
        var authProvider: AuthProvider?
        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case authProvider = "auth-provider"
        }
    }

    var clusters: [NamedCluster]?
    var contexts: [NamedContext]?
    var users: [NamedUser]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, contexts, users
        case currentContext = "current-context"
    }
}
