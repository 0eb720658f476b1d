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
