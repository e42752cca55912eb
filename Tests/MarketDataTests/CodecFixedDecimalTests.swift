import Testing
@testable import MarketData

@Suite struct CodecFixedDecimalTests {
    @Test(arguments: [
        ("7195.24000000", Int64(719_524_000_000), "7195.24000000"),
        ("0.00000001", 1, "0.00000001"),
        ("0", 0, "0.00000000"),
        ("42", 4_200_000_000, "42.00000000"),
        ("-0.5", -50_000_000, "-0.50000000"),
        (".25", 25_000_000, "0.25000000"),
        ("92233720368.54775807", Int64.max, "92233720368.54775807"),
        ("76636658.96208970", 7_663_665_896_208_970, "76636658.96208970"),
    ])
    func parsesAndFormatsExactly(text: String, units: Int64, formatted: String) throws {
        let value = try FixedDecimal(parsing: text)
        #expect(value.units == units)
        #expect(value.description == formatted)
    }

    @Test func rejectsMoreThanEightDecimals() {
        #expect(throws: FixedDecimalError.tooManyDecimals) { try FixedDecimal(parsing: "1.000000001") }
    }

    @Test func rejectsOutOfRange() {
        #expect(throws: FixedDecimalError.outOfRange) { try FixedDecimal(parsing: "92233720368.54775808") }
        #expect(throws: FixedDecimalError.outOfRange) { try FixedDecimal(parsing: "100000000000") }
    }

    @Test(arguments: ["", "abc", "1.2.3", "1e5", "-", "12 ", "1,5"])
    func rejectsNonNumbers(text: String) {
        #expect(throws: FixedDecimalError.notANumber) { try FixedDecimal(parsing: text) }
    }

    @Test func doubleValueIsNearestToText() throws {
        for text in ["7195.24000000", "0.00001234", "80142.84000000", "1669.98121300"] {
            #expect(try FixedDecimal(parsing: text).doubleValue == Double(text)!)
        }
    }

    @Test func ordersByValue() throws {
        #expect(try FixedDecimal(parsing: "-1") < FixedDecimal(parsing: "0.00000001"))
        #expect(try FixedDecimal(parsing: "10") > FixedDecimal(parsing: "9.99999999"))
    }
}
