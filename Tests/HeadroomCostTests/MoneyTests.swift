import HeadroomCore
@testable import HeadroomCost
import Testing

@Suite struct MoneyTests {
    @Test("money parses exactly and prints to the cent", arguments: [
        ("0.096", 96_000), ("1200", 1_200_000_000), ("0.06701142", 67_011), ("5.479452e-05", 55), ("0.0000005", 1), (".5", 500_000),
    ] as [(String, Int64)])
    func money(text: String, micro: Int64) {
        #expect(Money.microdollars(text) == micro)
    }

    @Test("bad amounts are refused; dollars print grouped")
    func moneyErrors() {
        for bad in ["-1", "abc", "1.2.3", "", "1,000", "+3"] { #expect(Money.microdollars(bad) == nil, "\(bad)") }
        #expect(Money.dollars(1_234_567_891) == "$1,234.57")
        #expect(Money.dollars(-5_000) == "-$0.01")
    }
}

/// Amounts too large for the sums made of them are refused, not wrapped or trapped on.
@Suite struct MoneyBoundsTests {
    @Test("USD amounts of a trillion or more, in any notation, are not amounts", arguments: [
        "99999999999999999999", "1000000000000", "1e12", "9223372036854775807.5", "1e400",
    ])
    func refused(text: String) {
        #expect(Money.microdollars(text) == nil)
    }

    @Test("the largest amount accepted, and the extremes of Int64, print without trapping")
    func extremes() {
        #expect(Money.microdollars("999999999999.999999") == 999_999_999_999_999_999)
        #expect(Money.dollars(.max).hasPrefix("$9,223,372,036,854.") && Money.dollars(.min).hasPrefix("-$9,223,372,036,854."))
    }
}
