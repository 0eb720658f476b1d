/// A second cluster of many nodes and PersistentVolumes (kube-state-metrics series in
/// OpenMetrics, for promtool backfill), so collector tests cover metric selections larger than
/// one query may hold, where no series has a `pod` label to split by.
public enum DemoScaleObjects {
    public static let clusterName = "scale"

    /// `nodes` m6i.xlarge nodes in three zones and `volumes` 20 GiB volumes (every third Released),
    /// all observed at `time` (unix seconds).
    public static func openMetrics(nodes: Int, volumes: Int, time: Int64, cluster: String = clusterName) -> String {
        func name(_ prefix: String, _ index: Int) -> String { "\(prefix)-\(String(repeating: "0", count: max(0, 4 - String(index).count)))\(index)" }
        var text = "# TYPE kube_node_labels gauge\n"
        for index in 0..<nodes {
            text += "kube_node_labels{cluster=\"\(cluster)\",node=\"\(name("node", index))\",label_eks_amazonaws_com_nodegroup=\"general\","
                + "label_node_kubernetes_io_instance_type=\"m6i.xlarge\",label_topology_kubernetes_io_zone=\"zone-\(index % 3)\"} 1 \(time)\n"
        }
        for (metric, cpu, memory) in [("kube_node_status_capacity", "4", "17179869184"), ("kube_node_status_allocatable", "3.92", "15837691904")] {
            text += "# TYPE \(metric) gauge\n"
            for index in 0..<nodes {
                text += "\(metric){cluster=\"\(cluster)\",node=\"\(name("node", index))\",resource=\"cpu\",unit=\"core\"} \(cpu) \(time)\n"
                text += "\(metric){cluster=\"\(cluster)\",node=\"\(name("node", index))\",resource=\"memory\",unit=\"byte\"} \(memory) \(time)\n"
            }
        }
        text += "# TYPE kube_persistentvolume_capacity_bytes gauge\n"
        for index in 0..<volumes {
            text += "kube_persistentvolume_capacity_bytes{cluster=\"\(cluster)\",persistentvolume=\"\(name("pv", index))\"} 21474836480 \(time)\n"
        }
        text += "# TYPE kube_persistentvolume_status_phase gauge\n"
        for index in 0..<volumes {
            text += "kube_persistentvolume_status_phase{cluster=\"\(cluster)\",persistentvolume=\"\(name("pv", index))\",phase=\"\(index % 3 == 0 ? "Released" : "Available")\"} 1 \(time)\n"
        }
        return text
    }
}
