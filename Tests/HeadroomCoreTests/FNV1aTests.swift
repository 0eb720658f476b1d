import HeadroomCore
import Testing

struct FNV1aTests {
    /// Published FNV-1a 64-bit test vectors (Fowler, Noll, Vo).
    @Test func matchesTheReferenceVectors() {
        #expect(FNV1a.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func bytesAddedInPiecesHashLikeTheWhole() {
        var hash = FNV1a()
        hash.add("foo".utf8)
        hash.add(Array("bar".utf8))
        #expect(hash.value == 0x8594_4171_f739_67e8)
    }
}
