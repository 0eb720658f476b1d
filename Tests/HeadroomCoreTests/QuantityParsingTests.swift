import HeadroomCore
import Foundation
import Testing

@Suite struct QuantityParsingTests {
    /// Every suffix the API server accepts, checked against values worked out by hand.
    @Test("CPU quantities convert to millicores, rounding sub-millicore amounts up", arguments: [
        ("250m", 250), ("0.5", 500), ("2", 2000), ("1500u", 2), ("1000u", 1), ("1u", 1), ("500000n", 1),
        ("1000000n", 1), ("1k", 1_000_000), ("1M", 1_000_000_000), ("0.1", 100), (".5", 500), ("1.", 1000),
        ("+2", 2000), ("1e-3", 1), ("2E-1", 200), ("1e3", 1_000_000), ("5e-1", 500), ("0", 0), ("0m", 0),
        ("1Ki", 1_024_000), ("0.001", 1), ("0.0001", 1), ("3.1415", 3142), ("1G", 1_000_000_000_000),
        ("1T", 1_000_000_000_000_000), ("1P", 1_000_000_000_000_000_000),
    ] as [(String, Int64)])
    func cpu(input: String, millicores: Int64) throws {
        #expect(try CPUQuantity(parsing: input).millicores == millicores)
    }

    @Test("memory quantities convert to bytes for every binary, decimal and exponent suffix", arguments: [
        ("512Mi", 536_870_912), ("1Gi", 1_073_741_824), ("1G", 1_000_000_000), ("1e9", 1_000_000_000),
        ("129e6", 129_000_000), ("123Ki", 125_952), ("0.5Gi", 536_870_912), ("1Ki", 1024), ("1Mi", 1_048_576),
        ("1Ti", 1_099_511_627_776), ("1Pi", 1_125_899_906_842_624), ("1Ei", 1_152_921_504_606_846_976),
        ("1k", 1000), ("1M", 1_000_000), ("1T", 1_000_000_000_000), ("1P", 1_000_000_000_000_000),
        ("1E", 1_000_000_000_000_000_000), ("100m", 1), ("1500m", 2), ("1u", 1), ("1n", 1), ("128974848", 128_974_848),
        ("12E+1", 120), ("1.5Gi", 1_610_612_736), ("0", 0), ("7", 7), ("2.5k", 2500),
    ] as [(String, Int64)])
    func memory(input: String, bytes: Int64) throws {
        #expect(try MemoryQuantity(parsing: input).bytes == bytes)
    }

    @Test("malformed quantities are rejected with the input quoted", arguments: [
        "", "abc", "1.2.3", "12x", "1Kb", "1ki", "1mi", "--1", "+-1", "1e", "1e+", "1ee3", "Mi", ".", "1 Gi", " 1", "1Gi ",
        "1e1000", "1e3m", "99999999999Ei", "1e19", "0x10", "1,5", "∞", "NaN", "Inf", "1/2",
    ])
    func malformed(input: String) {
        #expect {
            _ = try MemoryQuantity(parsing: input)
        } throws: { error in
            guard let error = error as? QuantityParseError else { return false }
            return error.input == input && error.description.contains("\"\(input)\"")
        }
    }

    @Test("negative requests are rejected for both resources")
    func negative() {
        #expect(throws: QuantityParseError(input: "-1", reason: "CPU cannot be negative")) { try CPUQuantity(parsing: "-1") }
        #expect(throws: QuantityParseError(input: "-5Mi", reason: "memory cannot be negative")) { try MemoryQuantity(parsing: "-5Mi") }
    }

    @Test("the error names the unknown suffix")
    func unknownSuffixMessage() {
        #expect(throws: QuantityParseError.self) { try CPUQuantity(parsing: "12x") }
        do {
            _ = try CPUQuantity(parsing: "12x")
        } catch {
            #expect(error.description.hasPrefix("invalid quantity \"12x\": unknown suffix \"x\""))
        }
    }

    @Test("canonical forms are the shortest exact ones", arguments: [
        (CPUQuantity(millicores: 500), "500m"), (CPUQuantity(millicores: 2000), "2"), (CPUQuantity(millicores: 0), "0"),
        (CPUQuantity(millicores: 1500), "1500m"), (CPUQuantity(millicores: 1), "1m"),
    ])
    func cpuCanonical(quantity: CPUQuantity, text: String) {
        #expect(quantity.canonical == text)
    }

    @Test("memory formats with the largest exact binary suffix, then decimal", arguments: [
        (Int64(1) << 30, "1Gi"), (536_870_912, "512Mi"), (1_000_000_000, "1G"), (129_000_000, "129M"),
        (125_952, "123Ki"), (1_024_000, "1000Ki"), (1500, "1500"), (3000, "3k"), (7, "7"), (0, "0"),
    ] as [(Int64, String)])
    func memoryCanonical(bytes: Int64, text: String) {
        #expect(MemoryQuantity(bytes: bytes).canonical == text)
    }

    @Test("random amounts survive format → parse unchanged")
    func roundTrip() throws {
        var random = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let millicores = Int64(random.next() % 10_000_000)
            let cpu = CPUQuantity(millicores: millicores)
            #expect(try CPUQuantity(parsing: cpu.canonical) == cpu)
            // Mix small, binary-aligned and decimal-aligned byte counts.
            let shape = random.next() % 3
            let base = Int64(random.next() % 1_000_000)
            let bytes = shape == 0 ? base : (shape == 1 ? base << 20 : base * 1_000_000)
            let memory = MemoryQuantity(bytes: bytes)
            #expect(try MemoryQuantity(parsing: memory.canonical) == memory)
        }
    }

    @Test("random integer × suffix strings parse to the product computed independently")
    func randomSuffixes() throws {
        let multipliers: [(String, Int64)] = [
            ("", 1), ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000), ("Ki", 1024), ("Mi", 1_048_576),
            ("Gi", 1_073_741_824), ("e3", 1000), ("E6", 1_000_000),
        ]
        var random = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let (suffix, multiplier) = multipliers[Int(random.next() % UInt64(multipliers.count))]
            let value = Int64(random.next() % 4096)
            #expect(try MemoryQuantity(parsing: "\(value)\(suffix)").bytes == value * multiplier)
        }
    }
}

@Suite struct QuantityArithmeticTests {
    @Test("quantities add, subtract, compare and scale")
    func arithmetic() throws {
        let a = try CPUQuantity(parsing: "250m")
        let b = try CPUQuantity(parsing: "0.5")
        #expect((a + b).canonical == "750m")
        #expect((b - a).millicores == 250)
        #expect(a < b)
        #expect(a.scaled(by: 1.15).millicores == 288)  // 287.5 rounds up
        let memory = try MemoryQuantity(parsing: "512Mi")
        #expect((memory + memory).canonical == "1Gi")
        #expect(memory.scaled(by: 0.5).canonical == "256Mi")
        #expect(try MemoryQuantity(parsing: "1Gi") > memory)
    }

    @Test("rounding up to a granularity", arguments: [(1, 10, 10), (10, 10, 10), (11, 10, 20), (0, 10, 0), (999, 100, 1000)] as [(Int64, Int64, Int64)])
    func roundUpCPU(value: Int64, granularity: Int64, expected: Int64) {
        #expect(CPUQuantity(millicores: value).roundedUp(toMultipleOf: CPUQuantity(millicores: granularity)).millicores == expected)
    }

    @Test("memory rounds up to whole mebibytes")
    func roundUpMemory() throws {
        #expect(try MemoryQuantity(parsing: "100M").roundedUp(toMultipleOf: .mebibyte).canonical == "96Mi")
        #expect(MemoryQuantity(bytes: 1).roundedUp(toMultipleOf: .mebibyte).canonical == "1Mi")
    }

    @Test("quantities encode as canonical strings and decode strings or numbers")
    func codable() throws {
        let encoded = try JSONEncoder().encode(ResourceAmounts(cpu: CPUQuantity(millicores: 250), memory: .gibibyte))
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains("\"250m\"") && text.contains("\"1Gi\""))
        let decoded = try JSONDecoder().decode(ResourceAmounts.self, from: Data(#"{"cpu": 0.5, "memory": "512Mi"}"#.utf8))
        #expect(decoded.cpu?.millicores == 500)
        #expect(decoded.memory?.bytes == 536_870_912)
    }
}
