import Foundation
import HeadroomCore

/// Per-workload changes to the sizing policy, from a config file or `headroom.io/*` annotations.
/// Unset fields leave the policy alone; later overrides win over earlier ones.
public struct SizingOverride: Sendable, Hashable {
    public var quantile: Double?
    public var margin: Double?
    public var minimumCPU: CPUQuantity?
    public var maximumCPU: CPUQuantity?
    public var minimumMemory: MemoryQuantity?
    public var maximumMemory: MemoryQuantity?
    public var cpuLimit: SizingPolicy.CPULimit?
    public var memoryLimit: SizingPolicy.MemoryLimit?
    public var cpuRisk: Double?
    public var memoryRisk: Double?

    public init() {}

    public func applied(to policy: SizingPolicy) -> SizingPolicy {
        var policy = policy
        if let quantile { policy.quantile = quantile }
        if let margin { policy.margin = margin }
        if let minimumCPU { policy.minimumCPU = minimumCPU }
        if let maximumCPU { policy.maximumCPU = maximumCPU }
        if let minimumMemory { policy.minimumMemory = minimumMemory }
        if let maximumMemory { policy.maximumMemory = maximumMemory }
        if let cpuLimit { policy.cpuLimit = cpuLimit }
        if let memoryLimit { policy.memoryLimit = memoryLimit }
        if let cpuRisk { policy.cpuRisk = cpuRisk }
        if let memoryRisk { policy.memoryRisk = memoryRisk }
        return policy
    }

    /// What the keys mean, shared by the config file and the annotations (`headroom.io/KEY`).
    public static let keys = ["quantile", "margin", "min-cpu", "max-cpu", "min-memory", "max-memory", "cpu-limit", "memory-limit", "cpu-risk", "memory-risk"]

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public let key: String
        public let reason: String
        public var description: String { "\(key): \(reason)" }
    }

    /// Sets one key from its text form: quantile in (0, 1], margin in [0, 10], quantities in
    /// Kubernetes notation, `cpu-limit` `none` or `ratio:R` (R ≥ 1), `memory-limit` `request` or
    /// `factor:F` (F ≥ 1), risks as a percentage (`1%`) or a share (`0.01`) in (0, 50 %].
    public mutating func set(_ key: String, _ text: String) throws(Invalid) {
        func number(_ text: String, in range: ClosedRange<Double>, lowerOpen: Bool = false) throws(Invalid) -> Double {
            guard let value = Double(text), value.isFinite, range.contains(value), !(lowerOpen && value == range.lowerBound) else {
                throw Invalid(key: key, reason: "\"\(text)\" must be a number in \(lowerOpen ? "(" : "[")\(range.lowerBound), \(range.upperBound)]")
            }
            return value
        }
        func quantity<Q: ResourceQuantity>(_ type: Q.Type) throws(Invalid) -> Q {
            do { return try Q(parsing: text) } catch { throw Invalid(key: key, reason: error.description) }
        }
        switch key {
        case "quantile": quantile = try number(text, in: 0...1, lowerOpen: true)
        case "margin": margin = try number(text, in: 0...10)
        case "min-cpu": minimumCPU = try quantity(CPUQuantity.self)
        case "max-cpu": maximumCPU = try quantity(CPUQuantity.self)
        case "min-memory": minimumMemory = try quantity(MemoryQuantity.self)
        case "max-memory": maximumMemory = try quantity(MemoryQuantity.self)
        case "cpu-limit":
            if text == "none" { cpuLimit = SizingPolicy.CPULimit.none }
            else if text.hasPrefix("ratio:") { cpuLimit = .ratio(try number(String(text.dropFirst(6)), in: 1...100)) }
            else { throw Invalid(key: key, reason: "\"\(text)\" must be none or ratio:R") }
        case "memory-limit":
            if text == "request" { memoryLimit = .equalToRequest }
            else if text.hasPrefix("factor:") { memoryLimit = .factor(try number(String(text.dropFirst(7)), in: 1...100)) }
            else { throw Invalid(key: key, reason: "\"\(text)\" must be request or factor:F") }
        case "cpu-risk": cpuRisk = try Self.risk(text, key: key)
        case "memory-risk": memoryRisk = try Self.risk(text, key: key)
        default:
            throw Invalid(key: key, reason: "unknown key (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// A risk target: `1%`, `0.5 %` or `0.01`, in (0, 50 %].
    public static func risk(_ text: String, key: String) throws(Invalid) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let isPercent = trimmed.hasSuffix("%")
        let number = isPercent ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) : trimmed
        guard let value = Double(number), value.isFinite else {
            throw Invalid(key: key, reason: "\"\(text)\" must be a risk such as 1% or 0.01")
        }
        let share = isPercent ? value / 100 : value
        guard share > 0, share <= 0.5 else { throw Invalid(key: key, reason: "\"\(text)\" must be a risk above 0 and at most 50%") }
        return share
    }

    /// The overrides in a workload's `headroom.io/*` annotations.
    public static func fromAnnotations(_ annotations: [String: String]) throws(Invalid) -> SizingOverride {
        var override = SizingOverride()
        for (name, value) in annotations.sorted(by: { $0.key < $1.key }) where name.hasPrefix(InventoryRecord.annotationPrefix) {
            let key = String(name.dropFirst(InventoryRecord.annotationPrefix.count))
            do { try override.set(key, value) } catch { throw Invalid(key: name, reason: error.reason) }
        }
        return override
    }
}
