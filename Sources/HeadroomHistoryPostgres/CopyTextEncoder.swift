import HeadroomCore
import NIOCore

/// Rows in PostgreSQL's COPY text format: fields separated by tabs, rows by newlines, NULL as
/// `\N`, and backslash, tab, newline and carriage return escaped inside text. Numbers are
/// written straight into the buffer (no intermediate String): the bulk ingest encodes millions.
package struct CopyTextEncoder {
    package private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    package init(capacity: Int = 1 << 20) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    package mutating func add(_ value: Int64) {
        separate()
        writeDigits(value)
    }

    package mutating func add(_ value: Int64?) {
        guard let value else { return addNull() }
        add(value)
    }

    /// Doubles in the shortest form that reads back to the same bits: whole numbers below 2^53
    /// as integers, others in Swift's shortest round-trip form (`NaN`, `Infinity` spelled PostgreSQL's way).
    package mutating func add(_ value: Double) {
        separate()
        if value.isNaN {
            buffer.writeStaticString("NaN")
        } else if value.isInfinite {
            buffer.writeStaticString(value < 0 ? "-Infinity" : "Infinity")
        } else if value.magnitude < 9_007_199_254_740_992, value == value.rounded(.towardZero), !(value == 0 && value.sign == .minus) {
            writeDigits(Int64(value))
        } else {
            var text = value.description
            text.withUTF8 { buffer.writeBytes($0) }
        }
    }

    package mutating func add(_ value: String?) {
        guard let value else { return addNull() }
        separate()
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// One usage bucket's fields, in the usage tables' column order (`container_id` … `last_ms`).
    package mutating func addUsage(containerID: Int64, resource: Int64, _ stats: BucketStats) {
        add(containerID)
        add(resource)
        add(stats.start)
        add(Int64(stats.count))
        add(stats.mean)
        add(stats.max)
        add(stats.firstSampleMillis)
        add(stats.lastSampleMillis)
    }

    package mutating func addNull() {
        separate()
        buffer.writeStaticString("\\N")
    }

    package mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    /// Hands over what is written so far and starts an empty buffer.
    package mutating func take() -> ByteBuffer {
        defer { buffer.clear() }
        return buffer
    }

    /// Decimal digits of `value`, written from a small stack buffer.
    private mutating func writeDigits(_ value: Int64) {
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }
}
