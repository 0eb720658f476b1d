/// Parses Kubernetes resource quantities with the API server's grammar
/// (`k8s.io/apimachinery/pkg/api/resource`):
///
/// ```
/// quantity  ::= [sign] number suffix
/// number    ::= digits | digits "." digits | digits "." | "." digits
/// suffix    ::= binarySI | decimalSI | ("e" | "E") [sign] digits
/// binarySI  ::= Ki | Mi | Gi | Ti | Pi | Ei            (2^10 … 2^60)
/// decimalSI ::= n | u | m | "" | k | M | G | T | P | E  (10^-9 … 10^18)
/// ```
///
/// The value is converted exactly (integer arithmetic, no floating point) to an integer count of
/// a target unit, rounding up like the API server's `Value()`/`MilliValue()`: `1500u` of CPU is
/// 2 millicores, `0.1` bytes is 1 byte.
public enum QuantityParser {
    /// Parses `text` and returns its value in units of 10^`unitExponent` (−3 for millicores,
    /// 0 for bytes), rounded up to the next whole unit.
    public static func parse(_ text: String, unitExponent: Int) throws(QuantityParseError) -> Int64 {
        func fail(_ reason: String) -> QuantityParseError { QuantityParseError(input: text, reason: reason) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw fail("empty string") }
        var index = 0
        var negative = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        // Mantissa: integer and fraction digits accumulated into one integer.
        var mantissa: Int128 = 0
        var fractionDigits = 0
        var digitCount = 0
        var sawPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digitCount += 1
                if mantissa == 0 && byte == UInt8(ascii: "0") && !sawPoint {
                    // leading zeros carry no precision
                } else {
                    guard mantissa < maxMantissa else { throw fail("too many significant digits") }
                    mantissa = mantissa * 10 + Int128(byte - UInt8(ascii: "0"))
                }
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") {
                guard !sawPoint else { throw fail("more than one decimal point") }
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard digitCount > 0 else { throw fail("no digits before the suffix") }
        let suffix = Array(bytes[index...])
        let scale = try suffixScale(suffix, fail: fail)

        // value = mantissa × 10^(decimal − fractionDigits) × 2^binary, expressed in 10^unitExponent.
        let decimalShift = scale.decimalExponent - fractionDigits - unitExponent
        var numerator = mantissa
        var denominator: Int128 = 1
        if scale.binaryExponent > 0 {
            numerator = try checkedMultiply(numerator, Int128(1) << scale.binaryExponent, fail: fail)
        }
        if decimalShift >= 0 {
            numerator = try checkedMultiply(numerator, try powerOfTen(decimalShift, fail: fail), fail: fail)
        } else if numerator != 0 {
            // A value with more than 38 fractional digits below the unit rounds up to one unit.
            if -decimalShift > 38 {
                denominator = 0
            } else {
                denominator = try powerOfTen(-decimalShift, fail: fail)
            }
        }
        var units: Int128
        if denominator == 0 {
            units = 1
        } else {
            units = numerator / denominator
            if numerator % denominator != 0 { units += 1 }
        }
        if negative { units = -units }
        guard units <= Int128(Int64.max) && units >= Int128(Int64.min) else {
            throw fail("out of range")
        }
        return Int64(units)
    }

    /// Mantissas are kept below 10^30 so that scaling by the largest suffix stays in 128 bits.
    private static let maxMantissa: Int128 = 100_000_000_000_000_000_000_000_000_000 / 10

    private struct Scale {
        var decimalExponent: Int
        var binaryExponent: Int
    }

    private static func suffixScale(
        _ suffix: [UInt8], fail: (String) -> QuantityParseError
    ) throws(QuantityParseError) -> Scale {
        let text = String(decoding: suffix, as: UTF8.self)
        switch text {
        case "": return Scale(decimalExponent: 0, binaryExponent: 0)
        case "n": return Scale(decimalExponent: -9, binaryExponent: 0)
        case "u": return Scale(decimalExponent: -6, binaryExponent: 0)
        case "m": return Scale(decimalExponent: -3, binaryExponent: 0)
        case "k": return Scale(decimalExponent: 3, binaryExponent: 0)
        case "M": return Scale(decimalExponent: 6, binaryExponent: 0)
        case "G": return Scale(decimalExponent: 9, binaryExponent: 0)
        case "T": return Scale(decimalExponent: 12, binaryExponent: 0)
        case "P": return Scale(decimalExponent: 15, binaryExponent: 0)
        case "E": return Scale(decimalExponent: 18, binaryExponent: 0)
        case "Ki": return Scale(decimalExponent: 0, binaryExponent: 10)
        case "Mi": return Scale(decimalExponent: 0, binaryExponent: 20)
        case "Gi": return Scale(decimalExponent: 0, binaryExponent: 30)
        case "Ti": return Scale(decimalExponent: 0, binaryExponent: 40)
        case "Pi": return Scale(decimalExponent: 0, binaryExponent: 50)
        case "Ei": return Scale(decimalExponent: 0, binaryExponent: 60)
        default:
            break
        }
        // Decimal exponent: e or E followed by a signed integer.
        guard let first = suffix.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E") else {
            throw fail("unknown suffix \"\(text)\" (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent such as e6)")
        }
        var digits = suffix.dropFirst()
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 3,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let exponent = Int(String(decoding: digits, as: UTF8.self))
        else { throw fail("malformed exponent \"\(text)\"") }
        return Scale(decimalExponent: negative ? -exponent : exponent, binaryExponent: 0)
    }

    private static func powerOfTen(_ exponent: Int, fail: (String) -> QuantityParseError) throws(QuantityParseError) -> Int128 {
        guard exponent <= 38 else { throw fail("out of range") }
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func checkedMultiply(
        _ lhs: Int128, _ rhs: Int128, fail: (String) -> QuantityParseError
    ) throws(QuantityParseError) -> Int128 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        guard !overflow else { throw fail("out of range") }
        return product
    }
}
