import HeadroomCore

/// One thing to give back, with its monthly saving, its risk, the evidence and the exact change.
public struct ReclaimItem: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Encodable {
        case idleWorkload = "idle workload", overProvisioned = "over-provisioned", drainNodes = "drain nodes", emptyPool = "empty pool"
        case unattachedVolume = "unattached volume"
    }
    public var kind: Kind
    public var target: String
    public var monthlySavingMicrodollars: Int64
    public var risk: String
    public var evidence: String
    /// The exact change, as a command to run after review.
    public var command: String
    /// For request changes: where `--write` puts the strategic-merge patch, and the patch itself.
    public var patchFile: String?
    public var patch: String?
    /// The workload a request patch is for (not encoded: the target names it).
    public var workload: WorkloadID?

    private enum CodingKeys: String, CodingKey { case kind, target, monthlySavingMicrodollars, risk, evidence, command, patchFile, patch }
}

/// A dry-run reclamation plan: items by saving, largest first.
public struct ReclaimPlan: Sendable, Hashable, Encodable {
    /// The audit record the plan was stored under, once recorded.
    public var auditID: Int64?
    /// The stored cost days the idle savings average.
    public var costDays: [Int64]
    public var items: [ReclaimItem]
    public var monthlySaving: Int64
    public var notCovered: [String]
}
