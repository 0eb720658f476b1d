/// Reads a query answer piece by piece as it arrives, handing over each series of
/// `data.result` as soon as its closing brace is in, so neither the body nor the decoded matrix
/// is ever held whole: what it keeps is the series being received and the *skeleton*, the
/// answer with the series of `data.result` cut out (`{"status":"success","data":{"resultType":
/// "matrix","result":[]}}`, plus whatever else the server sent).
///
/// Each series is read by `PrometheusAnswerParser.parseSeries`; at the end the skeleton is read
/// by `PrometheusAnswerParser.parse`, which checks the envelope exactly as it checks a whole
/// answer (status, duplicate keys, valid JSON). So the stream answers what the whole-body
/// parser answers, or declines: an element or an envelope it cannot read, or bytes that are
/// not JSON. A declined answer is read again whole by the caller, so every series handed over
/// before the decline must be safe to receive twice. The fuzz target `prometheus-json` checks,
/// on arbitrary splits, that a completed stream gives what the whole-body parser gives.
struct PrometheusAnswerStream {
    /// The most skeleton kept: envelopes are a few hundred bytes; an error page beyond this is
    /// cut off (its beginning is enough for the error message).
    static let maxSkeletonBytes = 1 << 20
    /// Nesting deeper than this is declined (`JSONDecoder` refuses deeper still).
    static let maxDepth = 512

    private(set) var skeleton: [UInt8] = []
    private(set) var bytesSeen = 0
    /// Something in the answer could not be read this way; later bytes are not examined.
    private(set) var declined = false

    private enum Container { case object, array }
    /// Open containers of the skeleton, each with the key it is the value of (objects' members).
    private var stack: [(container: Container, key: [UInt8]?)] = []
    private var inString = false
    private var escaped = false
    /// The last string closed in the skeleton: in valid JSON, the key of a container opening
    /// after it in an object. Kept only when short (keys that matter are "data" and "result").
    private var lastString: [UInt8]? = []
    private var stringBytes: [UInt8]? = []

    private enum ResultArray { case outside, elementOrEnd, element, commaOrEnd }
    /// Where in `data.result` the stream is, between its series.
    private var resultArray = ResultArray.outside
    /// The series being received, and how deep inside it the stream is (0: not in one).
    private var element: [UInt8] = []
    private var elementDepth = 0
    private var elementInString = false
    private var elementEscaped = false

    init() {}

    /// Consumes the next piece of the answer; `emit` receives every series completed by it.
    mutating func feed(_ piece: UnsafeRawBufferPointer, emit: (PrometheusSeries) throws -> Void) rethrows {
        bytesSeen += piece.count
        guard let base = piece.baseAddress else { return }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: piece.count)
        var index = 0
        while index < bytes.count {
            if declined {
                skeleton.append(contentsOf: bytes[index...].prefix(max(0, Self.maxSkeletonBytes - skeleton.count)))
                return
            }
            if elementDepth > 0 {
                // A series already begun in an earlier piece.
                index = try scanElement(bytes, from: index, begun: 0, emit: emit)
            } else if resultArray != .outside {
                let byte = bytes[index]
                index += 1
                if betweenElements(byte) {
                    // A series begins: scanned in one go, and read in place if this piece holds all of it.
                    index = try scanElement(bytes, from: index, begun: index - 1, emit: emit)
                }
            } else {
                skeletonByte(bytes[index])
                index += 1
            }
        }
    }

    /// Scans a series from `from` to its closing brace (or the piece's end, keeping the part
    /// seen); `begun` is where it starts in this piece, when it does. Returns where scanning stopped.
    private mutating func scanElement(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, begun: Int?,
                                      emit: (PrometheusSeries) throws -> Void) rethrows -> Int {
        var depth = elementDepth
        var inString = elementInString
        var escaped = elementEscaped
        var index = from
        var closed = false
        scan: while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > Self.maxDepth {
                    decline()
                    return index
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    closed = true
                    break scan
                }
            default:
                break
            }
        }
        elementDepth = depth
        elementInString = inString
        elementEscaped = escaped
        let start = begun ?? 0
        guard closed else {
            element.append(contentsOf: bytes[start..<index])
            return index
        }
        let series: PrometheusResultSeries?
        if element.isEmpty {
            series = PrometheusAnswerParser.parseSeries(UnsafeBufferPointer(rebasing: bytes[start..<index]), outerDepth: stack.count)
        } else {
            element.append(contentsOf: bytes[start..<index])
            series = element.withUnsafeBufferPointer { PrometheusAnswerParser.parseSeries($0, outerDepth: stack.count) }
            element.removeAll(keepingCapacity: true)
        }
        guard let series else {
            decline()
            return index
        }
        resultArray = .commaOrEnd
        try emit(series.series)
        return index
    }

    /// Keeps a body that is not to be streamed (an error answer), up to `maxSkeletonBytes`.
    mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        bytesSeen += bytes.count
        skeleton.append(contentsOf: bytes.prefix(max(0, Self.maxSkeletonBytes - skeleton.count)))
    }

    /// Ends the answer: the series the skeleton itself holds (a key spelt with escapes is not
    /// recognised while streaming, so its series stay in the skeleton), and the result type; nil
    /// when the answer is declined.
    mutating func finish(emit: (PrometheusSeries) throws -> Void) rethrows -> String? {
        guard !declined, elementDepth == 0, let data = PrometheusAnswerParser.parse(skeleton) else {
            declined = true
            return nil
        }
        for series in data.result { try emit(series.series) }
        return data.resultType
    }

    private mutating func decline() {
        declined = true
        element = []
    }

    private mutating func skeletonByte(_ byte: UInt8) {
        guard skeleton.count < Self.maxSkeletonBytes else { return decline() }
        skeleton.append(byte)
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                lastString = stringBytes
                return
            }
            if stringBytes != nil {
                if stringBytes!.count < 16 { stringBytes!.append(byte) } else { stringBytes = nil }
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            stringBytes = []
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard stack.count < Self.maxDepth else { return decline() }
            let key = stack.last?.container == .object ? lastString : nil
            stack.append((byte == UInt8(ascii: "{") ? .object : .array, key))
            lastString = nil
            if stack.count == 3, stack[0].container == .object, stack[1].container == .object,
               stack[1].key == Array("data".utf8), stack[2].container == .array, stack[2].key == Array("result".utf8) {
                resultArray = .elementOrEnd
            }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard stack.popLast() != nil else { return decline() }
            lastString = nil
        default:
            break
        }
    }

    /// Inside `data.result`, outside its series: whitespace, commas, the opening brace of the
    /// next series (true: a series begins) or the closing bracket. Commas are checked here
    /// because they do not reach the skeleton, whose `[]` is then checked by the parser.
    private mutating func betweenElements(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x0A, 0x0D, 0x09:
            return false
        case UInt8(ascii: ","):
            guard resultArray == .commaOrEnd else { decline(); return false }
            resultArray = .element
            return false
        case UInt8(ascii: "]"):
            guard resultArray != .element else { decline(); return false }   // "[…,]" is not JSON
            resultArray = .outside
            skeletonByte(byte)
            return false
        case UInt8(ascii: "{"):
            guard resultArray != .commaOrEnd else { decline(); return false }
            element.removeAll(keepingCapacity: true)
            elementDepth = 1
            elementInString = false
            elementEscaped = false
            return true
        default:
            decline()   // a result element that is not an object is not a series
            return false
        }
    }
}
