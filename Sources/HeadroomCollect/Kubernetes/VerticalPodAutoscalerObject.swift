import Foundation
import HeadroomHTTP

/// A VerticalPodAutoscaler as the API serves it, with what a custom recommender needs: which
/// recommenders it names (`spec.recommenders`), its target and its resource policy. Quantities
/// stay text here; the caller parses them and names the object when one is malformed.
public struct VerticalPodAutoscalerObject: Sendable, Decodable, Equatable {
    public struct Metadata: Sendable, Decodable, Equatable {
        public var name: String
        public var namespace: String?
    }
    public struct Spec: Sendable, Decodable, Equatable {
        public struct TargetRef: Sendable, Decodable, Equatable {
            public var kind: String
            public var name: String
        }
        public struct Recommender: Sendable, Decodable, Equatable {
            public var name: String
        }
        public struct ResourcePolicy: Sendable, Decodable, Equatable {
            public var containerPolicies: [ContainerPolicy]?
        }
        public struct ContainerPolicy: Sendable, Decodable, Equatable {
            public var containerName: String?
            public var mode: String?
            public var minAllowed: [String: String]?
            public var maxAllowed: [String: String]?
            public var controlledResources: [String]?
            public var controlledValues: String?
        }
        public var targetRef: TargetRef
        public var recommenders: [Recommender]?
        public var resourcePolicy: ResourcePolicy?
    }
    public var metadata: Metadata
    public var spec: Spec

    /// Whether `spec.recommenders` names `recommender` (a VPA naming none belongs to the default recommender).
    public func names(recommender: String) -> Bool {
        spec.recommenders?.contains { $0.name == recommender } ?? false
    }
}

extension KubernetesAPI {
    /// Every VerticalPodAutoscaler of the cluster; an empty list where the VPA CRD is not installed.
    public func verticalPodAutoscalers() async throws -> [VerticalPodAutoscalerObject] {
        switch try await list("/apis/autoscaling.k8s.io/v1/verticalpodautoscalers", as: VerticalPodAutoscalerObject.self) {
        case .items(let items): return items
        case .absent: return []
        }
    }

    /// A JSON merge patch (RFC 7386) of `path` (a status subresource, say): the answer's status
    /// code with the API's message, for the caller to count and log; transport failures throw.
    public func mergePatch(_ path: String, body: Data) async throws -> (status: Int, message: String?) {
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(method: .patch, url: connection.server + path,
                                                         headers: [("Content-Type", "application/merge-patch+json"), ("Accept", "application/json")],
                                                         body: body))
        } catch let error as HTTPClientError {
            throw KubernetesError("Kubernetes API \(error)")
        }
        let message = (try? JSONDecoder().decode(K8s.Status.self, from: response.body))?.message
        return (response.status, message)
    }
}
