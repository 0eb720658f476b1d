import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// Every manifest for a set of advice rows, as relative paths (`NAMESPACE/WORKLOAD.KIND.yaml`) and
/// contents; the caller decides where and whether to write them.
public struct ManifestSet: Sendable {
    public struct File: Sendable, Hashable {
        public var path: String
        public var contents: String
    }
    public var files: [File]
    /// Workloads of kinds without a pod template to patch (Jobs, bare pods…).
    public var skipped: [WorkloadID]

    public init(_ rows: [PricedContainerAdvice]) {
        var files: [File] = []
        var skipped: [WorkloadID] = []
        for (workload, members) in Dictionary(grouping: rows, by: \.container.workload).sorted(by: { $0.key < $1.key }) {
            guard workload.kind.isPatchable else {
                skipped.append(workload)
                continue
            }
            var trees = [("vpa", WorkloadManifests.verticalPodAutoscaler(workload, members)),
                         ("patch", WorkloadManifests.patch(workload, members.map(\.advice)))]
            if let hpa = members.lazy.compactMap(\.advice.hpa).first { trees.append(("hpa", WorkloadManifests.horizontalPodAutoscaler(workload, hpa))) }
            for (suffix, tree) in trees {
                files.append(File(path: "\(workload.namespace)/\(workload.name).\(suffix).yaml", contents: tree.render()))
            }
        }
        self.files = files
        self.skipped = skipped
    }
}
