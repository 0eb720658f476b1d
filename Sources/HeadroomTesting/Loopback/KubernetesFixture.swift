/// A small cluster in the Kubernetes API's JSON shapes: two nodes in two zones of pool
/// `backend`, a Deployment (two pods through a ReplicaSet, one OOM-killed), a StatefulSet, a
/// DaemonSet, an HPA, a VPA, a quota, a limit range and pod metrics.
public enum KubernetesFixture {
    static func node(_ name: String, zone: String) -> String {
        #"{"metadata":{"name":"\#(name)","labels":{"topology.kubernetes.io/zone":"\#(zone)","node.kubernetes.io/instance-type":"m6i.xlarge","eks.amazonaws.com/nodegroup":"backend"}},"status":{"allocatable":{"cpu":"3920m","memory":"15Gi","pods":"58"},"capacity":{"cpu":"4","memory":"16Gi"}}}"#
    }

    public static func pod(_ name: String, owner: (kind: String, name: String)?, labels: String = "{}", annotations: String = "{}",
                           node: String, container: String, requests: String, limits: String, status: String = #"{"phase":"Running"}"#,
                           volumes: String = "[]") -> String {
        let owners = owner.map { #","ownerReferences":[{"apiVersion":"apps/v1","kind":"\#($0.kind)","name":"\#($0.name)","controller":true}]"# } ?? ""
        return #"{"metadata":{"name":"\#(name)","namespace":"prod","labels":\#(labels),"annotations":\#(annotations)\#(owners)},"spec":{"nodeName":"\#(node)","containers":[{"name":"\#(container)","image":"x","resources":{"requests":\#(requests),"limits":\#(limits)}}],"volumes":\#(volumes)},"status":\#(status)}"#
    }

    static let oomStatus = #"{"phase":"Running","containerStatuses":[{"name":"web","restartCount":2,"lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2026-11-22T10:00:00Z"}}}]}"#

    public static let lists: [String: [String]] = [
        "/api/v1/nodes": [node("ip-10-0-1-1", zone: "us-east-1a"), node("ip-10-0-2-1", zone: "us-east-1b")],
        "/api/v1/persistentvolumes": [
            #"{"metadata":{"name":"pvc-1a2b"},"spec":{"capacity":{"storage":"50Gi"},"storageClassName":"gp3","claimRef":{"namespace":"prod","name":"data-db-0"}},"status":{"phase":"Bound"}}"#,
            #"{"metadata":{"name":"pvc-9z8y"},"spec":{"capacity":{"storage":"100Gi"},"storageClassName":"gp3","claimRef":{"namespace":"prod","name":"data-old-0"}},"status":{"phase":"Released"}}"#,
        ],
        "/api/v1/pods": [
            pod("web-7d9f8c6b5-x2k4p", owner: ("ReplicaSet", "web-7d9f8c6b5"), labels: #"{"app":"web","pod-template-hash":"7d9f8c6b5"}"#,
                node: "ip-10-0-1-1", container: "web", requests: #"{"cpu":"250m","memory":"512Mi"}"#, limits: #"{"memory":"1Gi"}"#, status: oomStatus),
            pod("web-7d9f8c6b5-q7z2m", owner: ("ReplicaSet", "web-7d9f8c6b5"), labels: #"{"app":"web","pod-template-hash":"7d9f8c6b5"}"#,
                node: "ip-10-0-2-1", container: "web", requests: #"{"cpu":"250m","memory":"512Mi"}"#, limits: #"{"memory":"1Gi"}"#),
            pod("db-0", owner: ("StatefulSet", "db"), annotations: #"{"headroom.io/quantile":"0.99","kubectl.kubernetes.io/restartedAt":"x"}"#, node: "ip-10-0-1-1", container: "postgres",
                requests: #"{"cpu":"2","memory":"4Gi"}"#, limits: #"{"cpu":"2","memory":"4Gi"}"#,
                volumes: #"[{"name":"data","persistentVolumeClaim":{"claimName":"data-db-0"}}]"#),
            pod("node-exporter-abcde", owner: ("DaemonSet", "node-exporter"), node: "ip-10-0-1-1", container: "exporter",
                requests: #"{"cpu":"50m","memory":"64Mi"}"#, limits: "{}"),
            pod("node-exporter-fghij", owner: ("DaemonSet", "node-exporter"), node: "ip-10-0-2-1", container: "exporter",
                requests: #"{"cpu":"50m","memory":"64Mi"}"#, limits: "{}"),
            pod("done-job-xyz", owner: ("Job", "done-job"), node: "ip-10-0-2-1", container: "task",
                requests: "{}", limits: "{}", status: #"{"phase":"Succeeded"}"#),
        ],
        "/apis/apps/v1/deployments": [#"{"metadata":{"name":"web","namespace":"prod"},"spec":{"replicas":2}}"#],
        "/apis/apps/v1/statefulsets": [#"{"metadata":{"name":"db","namespace":"prod"},"spec":{"replicas":1}}"#],
        "/apis/batch/v1/jobs": [],
        "/apis/apps/v1/daemonsets": [#"{"metadata":{"name":"node-exporter","namespace":"prod"},"spec":{},"status":{"desiredNumberScheduled":2}}"#],
        "/apis/autoscaling/v2/horizontalpodautoscalers": [
            #"{"metadata":{"name":"web","namespace":"prod"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":6,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}}]}}"#,
        ],
        "/apis/autoscaling.k8s.io/v1/verticalpodautoscalers": [
            #"{"metadata":{"name":"db","namespace":"prod"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db"},"updatePolicy":{"updateMode":"Off"}}}"#,
        ],
        "/api/v1/resourcequotas": [
            #"{"metadata":{"name":"compute","namespace":"prod"},"spec":{"hard":{"requests.cpu":"8","requests.memory":"16Gi"}},"status":{"hard":{"requests.cpu":"8","requests.memory":"16Gi"},"used":{"requests.cpu":"2600m","requests.memory":"5248Mi"}}}"#,
        ],
        "/api/v1/limitranges": [
            #"{"metadata":{"name":"defaults","namespace":"prod"},"spec":{"limits":[{"type":"Container","default":{"cpu":"500m","memory":"512Mi"},"defaultRequest":{"cpu":"100m","memory":"128Mi"}}]}}"#,
        ],
        "/apis/metrics.k8s.io/v1beta1/pods": [
            #"{"metadata":{"name":"web-7d9f8c6b5-x2k4p","namespace":"prod"},"timestamp":"2026-11-22T12:00:00Z","window":"15s","containers":[{"name":"web","usage":{"cpu":"120000000n","memory":"300Mi"}}]}"#,
            #"{"metadata":{"name":"web-7d9f8c6b5-q7z2m","namespace":"prod"},"timestamp":"2026-11-22T12:00:00Z","window":"15s","containers":[{"name":"web","usage":{"cpu":"80m","memory":"200Mi"}}]}"#,
        ],
    ]
}
