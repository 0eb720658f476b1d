import NIOCore

/// Rows in PostgreSQL's COPY text format: fields separated by tabs, rows by newlines, NULL as
/// `\N`, and backslash, tab, newline and carriage return escaped inside text.
struct CopyTextEncoder {
    private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    init(capacity: Int = 1 << 20) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func add(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func add(_ value: Int64?) {
        guard let value else { return addNull() }
        add(value)
    }

    /// Doubles in Swift's shortest form that reads back to the same bits (`NaN`, `Infinity` spelled PostgreSQL's way).
    mutating func add(_ value: Double) {
        separate()
        if value.isNaN {
            buffer.writeStaticString("NaN")
        } else if value.isInfinite {
            buffer.writeStaticString(value < 0 ? "-Infinity" : "Infinity")
        } else {
            buffer.writeString(value.description)
        }
    }

    mutating func add(_ value: String?) {
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

    mutating func addNull() {
        separate()
        buffer.writeStaticString("\\N")
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    /// Hands over what is written so far and starts an empty buffer.
    mutating func take() -> ByteBuffer {
        defer { buffer.clear() }
        return buffer
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }
}
