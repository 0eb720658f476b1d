import Foundation

/// A one-pass reader of successful query answers (`{"status":"success","data":{"resultType":…,
/// "result":[{"metric":{…},"values":[[t,"v"],…]}]}}`), several times faster than `JSONDecoder`
/// on the hundreds of megabytes a large collection receives. It reads only what the collector
/// uses and gives up (nil) on anything else, including error answers, which then go through
/// `JSONDecoder` for their message: it can be wrong only by declining. The fuzz target
/// `prometheus-json` checks that whenever it answers, it answers what `JSONDecoder` does.
enum PrometheusAnswerParser {
    static func parse(_ data: some ContiguousBytes) -> PrometheusQueryData? {
        data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            return try? reader.answer()
        }
    }

    /// A series listing (`/api/v1/series`: `{"status":"success","data":[{"__name__":…},…]}`),
    /// read as `JSONDecoder` reads it into label sets, or nil (declined).
    static func parseLabelSets(_ data: some ContiguousBytes) -> [[String: String]]? {
        data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            return try? reader.labelSetsAnswer()
        }
    }

    /// One element of an answer's `result` array, alone (as `PrometheusAnswerStream` cuts it
    /// out): nil when it is not exactly one series object that `JSONDecoder` would read the same.
    /// `outerDepth` is how deep in the answer the element sits, so nesting is limited as in a whole answer.
    static func parseSeries(_ bytes: UnsafeBufferPointer<UInt8>, outerDepth: Int) -> PrometheusResultSeries? {
        var reader = Reader(bytes: bytes)
        reader.outerDepth = outerDepth
        return try? reader.wholeSeries()
    }

    private struct Declined: Error {}

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        /// Containers around the bytes read, for the nesting limit.
        var outerDepth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func answer() throws(Declined) -> PrometheusQueryData {
            try envelope { (reader: inout Reader) throws(Declined) in try reader.queryData() }
        }

        mutating func labelSetsAnswer() throws(Declined) -> [[String: String]] {
            try envelope { (reader: inout Reader) throws(Declined) in
                var all: [[String: String]] = []
                try reader.beginArray()
                while try reader.nextElement() { all.append(try reader.labels()) }
                return all
            }
        }

        /// `{"status":"success","data":…}` with `data` read by `readData`, the whole input
        /// consumed. A repeated key is declined: which one JSONDecoder keeps is its business.
        private mutating func envelope<T>(_ readData: (inout Reader) throws(Declined) -> T) throws(Declined) -> T {
            var status: String?
            var data: T?
            var seen: Set<String> = []
            try beginObject()
            while let key = try nextKey() {
                switch key {
                case "status": guard status == nil else { throw Declined() }; status = try string()
                case "error", "errorType", "warnings", "infos":
                    guard seen.insert(key).inserted else { throw Declined() }
                    try envelopeField(key)
                case "data": guard data == nil else { throw Declined() }; data = try readData(&self)
                default: try skipValue()
                }
            }
            skipWhitespace()
            guard position == bytes.count, status == "success", let data else { throw Declined() }
            return data
        }

        /// The envelope's optional fields, typed as `PrometheusEnvelope` decodes them: `error` and
        /// `errorType` a string or null, `warnings` (and `infos`, Prometheus 3) null or strings.
        private mutating func envelopeField(_ key: String) throws(Declined) {
            skipWhitespace()
            if peek() == UInt8(ascii: "n") { return try literal("null") }
            switch key {
            case "error", "errorType": _ = try string()
            case "warnings":
                try beginArray()
                while try nextElement() { _ = try string() }
            default: try skipValue()
            }
        }

        /// `{"name":"value",…}`, names unique.
        private mutating func labels() throws(Declined) -> [String: String] {
            var labels: [String: String] = [:]
            try beginObject()
            while let name = try nextKey() {
                guard labels[name] == nil else { throw Declined() }
                labels[name] = try string()
            }
            return labels
        }

        mutating func wholeSeries() throws(Declined) -> PrometheusResultSeries {
            let series = try resultSeries()
            skipWhitespace()
            guard position == bytes.count else { throw Declined() }
            return series
        }

        private mutating func queryData() throws(Declined) -> PrometheusQueryData {
            var resultType: String?
            var series: [PrometheusResultSeries]?
            try beginObject()
            while let key = try nextKey() {
                switch key {
                case "resultType": guard resultType == nil else { throw Declined() }; resultType = try string()
                case "result":
                    guard series == nil else { throw Declined() }
                    var all: [PrometheusResultSeries] = []
                    try beginArray()
                    while try nextElement() { all.append(try resultSeries()) }
                    series = all
                default: try skipValue()
                }
            }
            guard let resultType, let series else { throw Declined() }
            return PrometheusQueryData(resultType: resultType, result: series)
        }

        private mutating func resultSeries() throws(Declined) -> PrometheusResultSeries {
            var metric: [String: String]?
            var values: [PrometheusSamplePair]?
            var value: PrometheusSamplePair?
            try beginObject()
            while let key = try nextKey() {
                switch key {
                case "metric":
                    guard metric == nil else { throw Declined() }
                    metric = try labels()
                case "values":
                    guard values == nil else { throw Declined() }
                    var pairs: [PrometheusSamplePair] = []
                    try beginArray()
                    while try nextElement() { pairs.append(try pair()) }
                    values = pairs
                case "value": guard value == nil else { throw Declined() }; value = try pair()
                default: try skipValue()
                }
            }
            guard let metric else { throw Declined() }
            return PrometheusResultSeries(metric: metric, values: values, value: value)
        }

        /// `[1712345678.123, "0.5"]`.
        private mutating func pair() throws(Declined) -> PrometheusSamplePair {
            try expect(UInt8(ascii: "["))
            let time = try number()
            try expect(UInt8(ascii: ","))
            skipWhitespace()
            let value = try sampleValue()
            try expect(UInt8(ascii: "]"))
            return PrometheusSamplePair(time: time, value: value)
        }

        // MARK: JSON pieces

        /// Objects and arrays are read as `begin…` then `next…` until it returns nil/false; each
        /// `next…` after the first consumes the comma before its member.
        private var firstMember = [Bool]()

        private mutating func beginObject() throws(Declined) {
            try expect(UInt8(ascii: "{"))
            firstMember.append(true)
        }

        /// The next key of the innermost object, its colon consumed; nil at its end.
        private mutating func nextKey() throws(Declined) -> String? {
            guard try advanceMember(closing: UInt8(ascii: "}")) else { return nil }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            return key
        }

        private mutating func beginArray() throws(Declined) {
            try expect(UInt8(ascii: "["))
            firstMember.append(true)
        }

        /// Whether the innermost array has another element (positioned at it).
        private mutating func nextElement() throws(Declined) -> Bool {
            try advanceMember(closing: UInt8(ascii: "]"))
        }

        private mutating func advanceMember(closing: UInt8) throws(Declined) -> Bool {
            guard let first = firstMember.last else { throw Declined() }
            skipWhitespace()
            guard let next = peek() else { throw Declined() }
            if next == closing {
                position += 1
                firstMember.removeLast()
                return false
            }
            if !first {
                guard next == UInt8(ascii: ",") else { throw Declined() }
                position += 1
                skipWhitespace()
                // "[1,]" and "{"a":1,}" are not JSON.
                guard let after = peek(), after != closing else { throw Declined() }
            }
            firstMember[firstMember.count - 1] = false
            return true
        }

        /// A string without escapes (Prometheus label values rarely hold any); one with escapes,
        /// or with bytes that are not valid UTF-8, is declined.
        private mutating func string() throws(Declined) -> String {
            try expect(UInt8(ascii: "\""))
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    guard let text = String(validating: slice, as: UTF8.self) else { throw Declined() }
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { throw Declined() }
                position += 1
            }
            throw Declined()
        }

        /// A JSON number, as `JSONDecoder` reads it into a Double.
        private mutating func number() throws(Declined) -> Double {
            skipWhitespace()
            let start = position
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            guard position > start, let value = Self.double(UnsafeBufferPointer(rebasing: bytes[start..<position])), value.isFinite else {
                throw Declined()
            }
            return value
        }

        /// A sample value: a quoted number, "NaN", "+Inf", "Inf" or "-Inf".
        private mutating func sampleValue() throws(Declined) -> Double {
            try expect(UInt8(ascii: "\""))
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                // Control bytes are not JSON (JSONDecoder refuses the answer), and Double(String)
                // would read "1\0…" as 1: found by the differential fuzz target.
                if bytes[position] == UInt8(ascii: "\\") || bytes[position] < 0x20 { throw Declined() }
                position += 1
            }
            guard position < bytes.count else { throw Declined() }
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
            position += 1
            // A strict JSON number is read as Double(String) reads it, without making a String.
            if let value = Self.double(slice) { return value }
            switch String(decoding: slice, as: UTF8.self) {
            case "NaN": return .nan
            case "+Inf", "Inf": return .infinity
            case "-Inf": return -.infinity
            case let text:
                // What `Double(String)` accepts, as PrometheusSamplePair's decoder reads it.
                guard let value = Double(text) else { throw Declined() }
                return value
            }
        }

        private mutating func skipValue() throws(Declined) {
            skipWhitespace()
            guard let byte = peek() else { throw Declined() }
            switch byte {
            case UInt8(ascii: "{"):
                guard firstMember.count + outerDepth < 512 else { throw Declined() }   // nesting a fuzzer could make deep
                try beginObject()
                while try nextKey() != nil { try skipValue() }
            case UInt8(ascii: "["):
                guard firstMember.count + outerDepth < 512 else { throw Declined() }
                try beginArray()
                while try nextElement() { try skipValue() }
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: _ = try number()
            }
        }

        private mutating func literal(_ word: StaticString) throws(Declined) {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw Declined() }
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
            for index in 0..<count where bytes[position + index] != expected[index] { throw Declined() }
            position += count
        }

        private mutating func expect(_ byte: UInt8) throws(Declined) {
            skipWhitespace()
            guard peek() == byte else { throw Declined() }
            position += 1
        }

        private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }

        static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

        #if arch(x86_64) && !os(Windows)
        /// 10^0 … 10^19, each exact in 64 bits of significand.
        static let extendedPowersOfTen: [Float80] = (0..<20).reduce(into: []) { powers, exponent in powers.append(exponent == 0 ? 1 : powers[exponent - 1] * 10) }
        #endif

        /// A strict JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. Integers and
        /// millisecond times (up to 15 digits in all) are exact as an integer divided by a power of
        /// ten (one correctly rounded division), up to 19 digits through x87's extended precision;
        /// anything else goes through `Double(String)`.
        static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
            var index = 0
            let negative = text.first == UInt8(ascii: "-")
            if negative { index += 1 }
            let digitsStart = index
            var mantissa: UInt64 = 0
            var digits = 0
            while index < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) {
                mantissa = mantissa &* 10 &+ UInt64(text[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0, !(digits > 1 && text[digitsStart] == UInt8(ascii: "0")) else { return nil }
            var fraction = 0
            if index < text.count, text[index] == UInt8(ascii: ".") {
                index += 1
                while index < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) {
                    mantissa = mantissa &* 10 &+ UInt64(text[index] - UInt8(ascii: "0"))
                    digits += 1
                    fraction += 1
                    index += 1
                }
                guard fraction > 0 else { return nil }
            }
            if index == text.count, digits <= 15, fraction <= 15 {
                let value = Double(mantissa) / Self.powersOfTen[fraction]
                return negative ? -value : value
            }
            #if arch(x86_64) && !os(Windows)
            // Go prints computed values with up to 17 significant digits, past the exact Double
            // path: 19 digits still fit in an integer that x87's 64-bit significand holds exactly,
            // and so does 10^19, so the quotient is rounded once, to 64 bits. Rounding that to
            // Double's 53 is then correct unless the 11 bits it drops are exactly one half: the
            // exact value may lie on either side of that tie, so those few go the slow way.
            if index == text.count, digits <= 19 {
                let quotient = Float80(mantissa) / Self.extendedPowersOfTen[fraction]
                if quotient.significandBitPattern & 0x7FF != 0x400 {
                    let value = Double(quotient)
                    return negative ? -value : value
                }
            }
            #endif
            // Exponents, long mantissas: validate the rest, then let the standard library round.
            if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
                index += 1
                if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
                let exponentStart = index
                while index < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) { index += 1 }
                guard index > exponentStart else { return nil }
            }
            guard index == text.count else { return nil }
            return Double(String(decoding: text, as: UTF8.self))
        }
    }
}
