/// FNV-1a, 64 bits: a hash that, unlike `Hasher`, is the same in every process, version and
/// machine, for digests, ETags, cache fingerprints and shard assignment.
public struct FNV1a: Sendable, Hashable {
    @usableFromInline var state: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of everything added so far.
    public var value: UInt64 { state }

    public init() {}

    /// Folds `bytes` into the hash.
    @inlinable
    public mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    /// The hash of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> UInt64 {
        var hash = FNV1a()
        hash.add(text.utf8)
        return hash.value
    }
}
