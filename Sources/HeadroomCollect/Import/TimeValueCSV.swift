import HeadroomCore

/// Reads a single series from CSV with the header `timestamp,value` (unix seconds on a regular
/// step; missing rows are gaps). The step is the smallest gap between rows; every timestamp must
/// sit on it. Unsorted or repeated timestamps, non-numbers, NaN and negative values are errors
/// with `file:line`, as are timestamps outside 0…2100 and rows so far apart that the regular
/// grid would pass `InputLimits.maxSeriesPoints` (a mistyped year, say).
public enum TimeValueCSV {
    public static func parse(_ text: String, file: String) throws(ImportError) -> RegularSeries {
        var reader = CSVLineReader(text)
        guard let header = reader.next() else { throw ImportError(file: file, line: nil, reason: "empty file: expected the header timestamp,value") }
        guard header.fields.map(\.trimmingSpaces) == ["timestamp", "value"] else {
            throw ImportError(file: file, line: 1, reason: "header must be timestamp,value, found \(header.fields.joined(separator: ","))")
        }
        var times: [Int64] = []
        var values: [Double] = []
        var lines: [Int] = []
        while let row = reader.next() {
            if row.fields.count == 1 && row.fields[0].isEmpty { continue }
            func fail(_ reason: String) -> ImportError { ImportError(file: file, line: row.number, reason: reason) }
            guard row.fields.count == 2 else { throw fail("expected 2 fields, found \(row.fields.count)") }
            guard let time = Int64(row.fields[0]) else { throw fail("timestamp \"\(row.fields[0])\" is not whole unix seconds") }
            guard time >= 0 else { throw fail("timestamp \(time) is negative") }
            guard time < InputLimits.latestTime else { throw fail("timestamp \(time) is after 2100: milliseconds? expected unix seconds") }
            guard let value = Double(row.fields[1]) else { throw fail("value \"\(row.fields[1])\" is not a number") }
            guard value.isFinite else { throw fail("value \(row.fields[1]) is not finite") }
            guard value >= 0 else { throw fail("value \(row.fields[1]) is negative; usage cannot be") }
            guard value <= 1e15 else { throw fail("value \(row.fields[1]) is beyond 10^15") }
            if let last = times.last {
                guard time != last else { throw fail("timestamp \(time) repeats line \(lines.last!)") }
                guard time > last else { throw fail("timestamp \(time) is before the previous one (\(last)); rows must be sorted") }
            }
            times.append(time)
            values.append(value)
            lines.append(row.number)
        }
        guard let first = times.first else { throw ImportError(file: file, line: nil, reason: "no data rows") }
        let step = zip(times, times.dropFirst()).map { $1 - $0 }.min() ?? 300
        let points = (times.last! - first) / step + 1
        guard points <= Int64(InputLimits.maxSeriesPoints) else {
            throw ImportError(file: file, line: lines.last, reason: "rows from \(first) to \(times.last!) at a \(step) s step make \(points) points, more than \(InputLimits.maxSeriesPoints): is a timestamp years off?")
        }
        var grid = [Double?](repeating: nil, count: Int((times.last! - first) / step) + 1)
        for (index, time) in times.enumerated() {
            guard (time - first) % step == 0 else {
                throw ImportError(file: file, line: lines[index], reason: "timestamp \(time) is off the \(step) s step that starts at \(first)")
            }
            grid[Int((time - first) / step)] = values[index]
        }
        return RegularSeries(start: first, step: step, values: grid)
    }
}
