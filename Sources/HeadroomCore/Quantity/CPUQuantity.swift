/// An amount of CPU held as whole millicores, the unit Kubernetes uses for CPU requests.
///
/// Parsing accepts everything the API server accepts (`250m`, `0.5`, `2`, `1500u`, `1e-3`…);
/// sub-millicore amounts round up, as the API server's `MilliValue()` does.
public struct CPUQuantity: ResourceQuantity {
    public var millicores: Int64

    public init(millicores: Int64) { self.millicores = millicores }
    public init(amount: Int64) { millicores = amount }
    /// Whole or fractional cores, rounded up to the next millicore. Never traps: NaN is 0 and
    /// amounts beyond 64 bits saturate (inputs are checked against `InputLimits` before this).
    public init(cores: Double) { millicores = Int64(saturating: (cores * 1000).rounded(.up)) }
    public init(number: Double) { self.init(cores: number) }

    public static let unitExponent = -3
    public static let resourceName = "CPU"
    public static let zero = CPUQuantity(millicores: 0)

    public var amount: Int64 { millicores }
    public var cores: Double { Double(millicores) / 1000 }

    /// Whole cores as `2`, anything else in millicores as `250m`.
    public var canonical: String {
        millicores % 1000 == 0 ? String(millicores / 1000) : "\(millicores)m"
    }
}
