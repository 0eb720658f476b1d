import HeadroomCollect
import HeadroomCore
import Testing

@Suite struct TimeValueCSVTests {
    @Test("rows on a regular step become a series with gaps for missing rows")
    func gaps() throws {
        let series = try TimeValueCSV.parse("timestamp,value\n600,1\n900,2\n1500,4\n", file: "s.csv")
        #expect(series.start == 600 && series.step == 300)
        #expect(series.values == [1, 2, nil, 4])
    }

    @Test("bad rows are reported as file:line: reason", arguments: [
        ("0,1\n0,2", "s.csv:3: timestamp 0 repeats line 2"),
        ("300,1\n0,2", "s.csv:3: timestamp 0 is before the previous one (300); rows must be sorted"),
        ("0,1\n300,-2", "s.csv:3: value -2 is negative; usage cannot be"),
        ("0,1\n300,NaN", "s.csv:3: value NaN is not finite"),
        ("0,1\n300,x", "s.csv:3: value \"x\" is not a number"),
        ("0,1\n300,2\n500,3", "s.csv:3: timestamp 300 is off the 200 s step that starts at 0"),
    ])
    func badRows(body: String, message: String) {
        do {
            _ = try TimeValueCSV.parse("timestamp,value\n\(body)\n", file: "s.csv")
            Issue.record("expected \(message)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the header must be timestamp,value")
    func header() {
        #expect(throws: ImportError.self) { try TimeValueCSV.parse("time,v\n0,1\n", file: "s.csv") }
    }
}
