/// One sample line of the Prometheus text format or OpenMetrics: `name{labels} value [timestamp]`.
struct ExpositionSample {
    var name: Substring
    var labels: [Substring: String]
    var value: Double
    var timestamp: Double?
}

/// Parses sample lines of the Prometheus text exposition format and OpenMetrics. Comment and
/// metadata lines (`# HELP`, `# TYPE`, `# UNIT`, `# EOF`) are the caller's business.
enum ExpositionLineParser {
    static func parse(_ line: Substring) throws(ExpositionSyntaxError) -> ExpositionSample {
        var index = line.startIndex
        func atEnd() -> Bool { index >= line.endIndex }
        while !atEnd() && isNameCharacter(line[index]) { index = line.index(after: index) }
        let name = line[line.startIndex..<index]
        guard !name.isEmpty, !(name.first!.isNumber) else { throw ExpositionSyntaxError("expected a metric name") }
        var labels: [Substring: String] = [:]
        if !atEnd() && line[index] == "{" {
            index = line.index(after: index)
            while true {
                skipSpaces(line, &index)
                guard !atEnd() else { throw ExpositionSyntaxError("unterminated label set") }
                if line[index] == "}" { index = line.index(after: index); break }
                let labelStart = index
                while !atEnd() && isNameCharacter(line[index]) { index = line.index(after: index) }
                let label = line[labelStart..<index]
                guard !label.isEmpty else { throw ExpositionSyntaxError("expected a label name") }
                skipSpaces(line, &index)
                guard !atEnd(), line[index] == "=" else { throw ExpositionSyntaxError("expected '=' after label \(label)") }
                index = line.index(after: index)
                skipSpaces(line, &index)
                guard !atEnd(), line[index] == "\"" else { throw ExpositionSyntaxError("expected a quoted value for label \(label)") }
                index = line.index(after: index)
                var value = ""
                var closed = false
                while !atEnd() {
                    let character = line[index]
                    index = line.index(after: index)
                    if character == "\\" {
                        guard !atEnd() else { break }
                        let escaped = line[index]
                        index = line.index(after: index)
                        switch escaped {
                        case "n": value.append("\n")
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        default: throw ExpositionSyntaxError("invalid escape \\\(escaped) in label \(label)")
                        }
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw ExpositionSyntaxError("unterminated value of label \(label)") }
                guard labels[label] == nil else { throw ExpositionSyntaxError("label \(label) appears twice") }
                labels[label] = value
                skipSpaces(line, &index)
                if !atEnd() && line[index] == "," {
                    index = line.index(after: index)
                } else if atEnd() || line[index] != "}" {
                    throw ExpositionSyntaxError("expected ',' or '}' after the value of label \(label)")
                }
            }
        }
        let rest = line[index...].split(separator: " ", omittingEmptySubsequences: true)
        guard rest.count == 1 || rest.count == 2 else {
            throw ExpositionSyntaxError(rest.isEmpty ? "missing value" : "expected a value and an optional timestamp, found \(rest.count) fields")
        }
        guard let value = parseValue(rest[0]) else { throw ExpositionSyntaxError("\"\(rest[0])\" is not a number") }
        var timestamp: Double?
        if rest.count == 2 {
            guard let parsed = Double(rest[1]), parsed.isFinite else { throw ExpositionSyntaxError("\"\(rest[1])\" is not a timestamp") }
            timestamp = parsed
        }
        return ExpositionSample(name: name, labels: labels, value: value, timestamp: timestamp)
    }

    private static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text)
        }
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ":")
    }

    private static func skipSpaces(_ line: Substring, _ index: inout Substring.Index) {
        while index < line.endIndex && line[index] == " " { index = line.index(after: index) }
    }
}

struct ExpositionSyntaxError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
