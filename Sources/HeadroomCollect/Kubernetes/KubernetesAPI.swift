import Foundation
import HeadroomHTTP

/// Lists Kubernetes objects page by page (`limit`/`continue`), restarting a list whose continue
/// token expired (410 Gone), and turning 403/404 into errors that say what is missing.
public struct KubernetesAPI: Sendable {
    public let connection: KubernetesConnection
    let client: any HTTPClient
    /// Objects per page.
    public let pageSize: Int

    /// Talks to `connection.server` with the connection's TLS settings and credentials.
    public init(connection: KubernetesConnection, timeout: Duration = .seconds(30), pageSize: Int = 500) {
        self.connection = connection
        client = CurlHTTPClient(configuration: HTTPClientConfiguration(
            timeout: timeout, tls: connection.tls, authentication: connection.authentication))
        self.pageSize = pageSize
    }

    /// Result of listing a resource that may not exist on this cluster (a CRD, metrics-server).
    enum Listing<Item> {
        case items([Item])
        case absent
    }

    /// Lists every object at `path` (such as `/api/v1/pods`). 404 means the API is not served.
    func list<Item: Decodable>(_ path: String, as: Item.Type) async throws -> Listing<Item> {
        var restarts = 0
        var items: [Item] = []
        var token: String?
        while true {
            var url = "\(connection.server)\(path)?limit=\(pageSize)"
            if let token { url += "&continue=\(HTTPRequest.formEncode(token))" }
            let response = try await send(url)
            switch response.status {
            case 200:
                let page: K8s.List<Item>
                do {
                    page = try JSONDecoder().decode(K8s.List<Item>.self, from: response.body)
                } catch {
                    throw KubernetesError("GET \(path): unreadable answer: \(error)")
                }
                items += page.items
                token = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
                if token == nil { return .items(items) }
            case 410 where token != nil && restarts < 3:
                // The continue token expired (etcd compacted): the list must start over.
                restarts += 1
                items = []
                token = nil
            case 404:
                return .absent
            case 401:
                throw KubernetesError("GET \(path): 401 Unauthorized: the token or client certificate was not accepted\(Self.detail(response))")
            case 403:
                throw KubernetesError("GET \(path): 403 Forbidden: the credentials may not list \(Self.resourceName(path)); grant get/list on it (ClusterRole)\(Self.detail(response))")
            default:
                throw KubernetesError("GET \(path): HTTP \(response.status)\(Self.detail(response))")
            }
        }
    }

    /// Like `list`, for resources every cluster serves.
    func listRequired<Item: Decodable>(_ path: String, as type: Item.Type) async throws -> [Item] {
        switch try await list(path, as: type) {
        case .items(let items): return items
        case .absent: throw KubernetesError("GET \(path): 404 Not Found")
        }
    }

    private func send(_ url: String) async throws -> HTTPResponse {
        do {
            return try await client.send(HTTPRequest(url: url, headers: [("Accept", "application/json")]))
        } catch let error as HTTPClientError {
            throw KubernetesError("Kubernetes API \(error)")
        }
    }

    static func detail(_ response: HTTPResponse) -> String {
        guard let status = try? JSONDecoder().decode(K8s.Status.self, from: response.body), let message = status.message else { return "" }
        return " (\(message))"
    }

    private static func resourceName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
