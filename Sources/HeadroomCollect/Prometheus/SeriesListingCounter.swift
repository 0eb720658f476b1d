/// Counts the label sets of a `/api/v1/series` answer as it streams in, without keeping them: a
/// run's listing only has to say how many series each metric has (whether its queries need
/// splitting), and at 10,000 pods a day's label sets would be the largest thing in memory.
///
/// It follows the JSON structure byte by byte (strings and escapes included) and counts the
/// objects directly inside the top-level `data` array. Everything else, the skeleton
/// (`{"status":"success","data":[]}`, warnings, or a whole error answer), is kept and decoded by
/// the caller, so a malformed envelope is refused as any answer is. An element that is not an
/// object, or a body that ends inside a value, makes the listing unreadable.
struct SeriesListingCounter {
    private(set) var count = 0
    private(set) var skeleton: [UInt8] = []
    private(set) var bytesSeen = 0
    /// Open containers, `{` or `[`.
    private var stack: [UInt8] = []
    private var inString = false
    private var escaped = false
    /// At depth 1: whether the next string is a key, and the last key read.
    private var expectKey = false
    private var key: [UInt8] = []
    private var readingKey = false
    /// The depth of the `data` array, while inside it.
    private var dataDepth: Int?
    private(set) var malformed = false

    /// Whether the bytes so far are inside the `data` array (not kept, but for its brackets).
    private var insideData: Bool { dataDepth.map { stack.count >= $0 } ?? false }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        bytesSeen += bytes.count
        for byte in bytes { feed(byte) }
    }

    private mutating func feed(_ byte: UInt8) {
        var keep = !insideData
        defer {
            // An envelope past 1 MiB (a huge warnings list, an error page) is not read.
            if keep { if skeleton.count < Self.skeletonLimit { skeleton.append(byte) } else { malformed = true } }
        }
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                inString = false
                if readingKey { readingKey = false; return }
            }
            if readingKey { key.append(byte) }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            if let dataDepth, stack.count == dataDepth { malformed = true }
            if stack.count == 1 && expectKey {
                readingKey = true
                key = []
                expectKey = false
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if let dataDepth, stack.count == dataDepth {
                if byte == UInt8(ascii: "{") { count += 1 } else { malformed = true }
            }
            if stack.count == 1 && byte == UInt8(ascii: "[") && key == Array("data".utf8) && dataDepth == nil { dataDepth = 2 }
            stack.append(byte)
            if stack.count == 1 { expectKey = true }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard let open = stack.popLast(), open == (byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")) else {
                malformed = true
                return
            }
            if let depth = dataDepth, stack.count < depth {
                // The closing bracket of `data`, kept: the skeleton reads `"data":[]`.
                dataDepth = nil
                key = []
                keep = true
            }
        case UInt8(ascii: ","):
            if stack.count == 1 { expectKey = true }
        default:
            // A bare value (number, true, null) directly in `data` is not a label set.
            if let dataDepth, stack.count == dataDepth, !Self.isSpace(byte) { malformed = true }
        }
    }

    /// The most of the answer outside `data`'s elements that is kept.
    static let skeletonLimit = 1 << 20

    /// Whether the answer ended where a JSON document can end.
    var isComplete: Bool { stack.isEmpty && !inString && bytesSeen > 0 }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
