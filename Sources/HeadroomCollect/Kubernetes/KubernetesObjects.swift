/// The fields of Kubernetes objects that Headroom reads, in the API's JSON shapes.
enum K8s {
    struct ObjectMeta: Decodable {
        struct OwnerReference: Decodable {
            var kind: String
            var name: String
            var controller: Bool?
        }
        var name: String
        var namespace: String?
        var labels: [String: String]?
        /// Pod annotations come from the workload's pod template (`headroom.io/*` are sizing overrides).
        var annotations: [String: String]?
        var ownerReferences: [OwnerReference]?
    }

    struct ListMeta: Decodable {
        var `continue`: String?
        var resourceVersion: String?
    }

    /// A list page: `items` plus the continue token for the next page.
    struct List<Item: Decodable>: Decodable {
        var items: [Item]
        var metadata: ListMeta?
    }

    /// The API's error body.
    struct Status: Decodable {
        var message: String?
        var reason: String?
        var code: Int?
    }

    typealias Quantities = [String: String]

    struct ResourceRequirements: Decodable {
        var requests: Quantities?
        var limits: Quantities?
    }

    struct Container: Decodable {
        var name: String
        var resources: ResourceRequirements?
    }

    struct ContainerStatus: Decodable {
        struct State: Decodable {
            struct Terminated: Decodable {
                var reason: String?
                var finishedAt: String?
            }
            var terminated: Terminated?
        }
        var name: String
        var restartCount: Int?
        var lastState: State?
    }

    struct Pod: Decodable {
        struct Volume: Decodable {
            struct Claim: Decodable { var claimName: String }
            var name: String
            var persistentVolumeClaim: Claim?
        }
        struct Spec: Decodable {
            var nodeName: String?
            var containers: [Container]
            var volumes: [Volume]?
        }
        struct PodStatus: Decodable {
            var phase: String?
            var containerStatuses: [ContainerStatus]?
        }
        var metadata: ObjectMeta
        var spec: Spec
        var status: PodStatus?
    }

    struct Node: Decodable {
        struct NodeStatus: Decodable {
            var allocatable: Quantities?
            var capacity: Quantities?
        }
        var metadata: ObjectMeta
        var status: NodeStatus?
    }

    /// Deployments, StatefulSets and DaemonSets share what Headroom needs of them.
    struct Controller: Decodable {
        struct Spec: Decodable { var replicas: Int? }
        struct ControllerStatus: Decodable { var desiredNumberScheduled: Int? }
        var metadata: ObjectMeta
        var spec: Spec?
        var status: ControllerStatus?
    }

    struct HorizontalPodAutoscaler: Decodable {
        struct Spec: Decodable {
            struct Target: Decodable { var kind: String; var name: String }
            struct Metric: Decodable {
                struct Resource: Decodable {
                    struct MetricTarget: Decodable { var type: String; var averageUtilization: Int? }
                    var name: String
                    var target: MetricTarget
                }
                var type: String
                var resource: Resource?
            }
            var scaleTargetRef: Target
            var minReplicas: Int?
            var maxReplicas: Int
            var metrics: [Metric]?
        }
        var metadata: ObjectMeta
        var spec: Spec
    }

    struct VerticalPodAutoscaler: Decodable {
        struct Spec: Decodable {
            struct Target: Decodable { var kind: String; var name: String }
            struct UpdatePolicy: Decodable { var updateMode: String? }
            var targetRef: Target
            var updatePolicy: UpdatePolicy?
        }
        var metadata: ObjectMeta
        var spec: Spec
    }

    struct PersistentVolume: Decodable {
        struct Spec: Decodable {
            struct ClaimRef: Decodable { var namespace: String?; var name: String? }
            var capacity: Quantities?
            var storageClassName: String?
            var claimRef: ClaimRef?
        }
        struct VolumeStatus: Decodable { var phase: String? }
        var metadata: ObjectMeta
        var spec: Spec?
        var status: VolumeStatus?
    }

    struct ResourceQuota: Decodable {
        struct Spec: Decodable { var hard: Quantities? }
        struct QuotaStatus: Decodable { var used: Quantities? }
        var metadata: ObjectMeta
        var spec: Spec?
        var status: QuotaStatus?
    }

    struct LimitRange: Decodable {
        struct Spec: Decodable {
            struct Item: Decodable {
                var type: String
                var `default`: Quantities?
                var defaultRequest: Quantities?
                var min: Quantities?
                var max: Quantities?
            }
            var limits: [Item]
        }
        var metadata: ObjectMeta
        var spec: Spec
    }

    /// metrics.k8s.io/v1beta1 PodMetrics.
    struct PodMetrics: Decodable {
        struct ContainerMetrics: Decodable {
            var name: String
            var usage: Quantities
        }
        var metadata: ObjectMeta
        var timestamp: String
        var containers: [ContainerMetrics]
    }
}
