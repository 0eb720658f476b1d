import HeadroomHistoryPostgres
import NIOCore
import Testing

/// COPY text: what PostgreSQL reads back is exactly what was written.
@Suite struct CopyTextEncoderTests {
    func encoded(_ fill: (inout CopyTextEncoder) -> Void) -> String {
        var encoder = CopyTextEncoder(capacity: 64)
        fill(&encoder)
        encoder.endRow()
        var buffer = encoder.take()
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    @Test("integers, including the extremes, in decimal")
    func integers() {
        #expect(encoded { $0.add(Int64(0)); $0.add(Int64(-42)); $0.add(Int64.max); $0.add(Int64.min) }
                == "0\t-42\t9223372036854775807\t-9223372036854775808\n")
    }

    @Test("doubles: whole ones as integers, others in the shortest form that reads back to the same bits")
    func doubles() {
        #expect(encoded { $0.add(12.0); $0.add(0.1); $0.add(1.0 / 3); $0.add(-0.0); $0.add(1e300); $0.add(Double.nan); $0.add(-Double.infinity) }
                == "12\t0.1\t0.3333333333333333\t-0.0\t1e+300\tNaN\t-Infinity\n")
        let third = encoded { $0.add(1.0 / 3) }.dropLast()
        #expect(Double(String(third)) == 1.0 / 3)
    }

    @Test("text escapes backslash, tab, newline and carriage return; nil is \\N")
    func text() {
        #expect(encoded { $0.add("a\\b\tc\nd\re"); $0.add(nil as String?); $0.add(nil as Int64?) } == "a\\\\b\\tc\\nd\\re\t\\N\t\\N\n")
    }
}
