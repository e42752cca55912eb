import Forecasting
import Testing

@testable import MarketData

@Suite struct CodecFixedDecimalTests {
    static let int64Max = Int128(Int64.max), int64Min = Int128(Int64.min), uint64Max = Int128(UInt64.max)
    /// Text, units, formatted text.
    static let exactCases: [(String, Int128, String)] = [
        ("7195.24000000", 719_524_000_000, "7195.24000000"),
        ("0.00000001", 1, "0.00000001"),
        ("0", 0, "0.00000000"),
        ("42", 4_200_000_000, "42.00000000"),
        ("-0.5", -50_000_000, "-0.50000000"),
        (".25", 25_000_000, "0.25000000"),
        ("76636658.96208970", 7_663_665_896_208_970, "76636658.96208970"),
        // Around the Int64 boundary of the units.
        ("92233720368.54775807", int64Max, "92233720368.54775807"),
        ("92233720368.54775808", int64Max + 1, "92233720368.54775808"),
        ("-92233720368.54775808", int64Min, "-92233720368.54775808"),
        ("-92233720368.54775809", int64Min - 1, "-92233720368.54775809"),
        // Around the UInt64 boundary, where parsing and formatting widen to 128 bits.
        ("184467440736.99999999", 18_446_744_073_699_999_999, "184467440736.99999999"),
        ("184467440737.09551615", uint64Max, "184467440737.09551615"),
        ("184467440737.09551616", uint64Max + 1, "184467440737.09551616"),
        // Real magnitudes: a micro-priced coin's minute volume, a top pair's monthly quote volume.
        ("512345678901.00000000", 51_234_567_890_100_000_000, "512345678901.00000000"),
        ("98765432109876.54321000", 9_876_543_210_987_654_321_000, "98765432109876.54321000"),
        ("100000000000000000000.00000000", 10_000_000_000_000_000_000_000_000_000, "100000000000000000000.00000000"),
        ("0000000000000000000000000042.5", 4_250_000_000, "42.50000000"),
        ("1701411834604692317316873037158.84105727", Int128.max, "1701411834604692317316873037158.84105727"),
        ("-1701411834604692317316873037158.84105727", -Int128.max, "-1701411834604692317316873037158.84105727"),
    ]

    @Test(arguments: exactCases)
    func parsesAndFormatsExactly(text: String, units: Int128, formatted: String) throws {
        let value = try FixedDecimal(parsing: text)
        #expect(value.units == units)
        #expect(value.description == formatted)
        var bytes: [UInt8] = []
        FixedDecimal.append(units, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == formatted)
    }

    @Test(arguments: ["1.000000001", "512345678901.000000001", "98765432109876.543210000", "100000000000000000000.000000000"])
    func rejectsMoreThanEightDecimals(text: String) {
        #expect(throws: FixedDecimalError.tooManyDecimals) { try FixedDecimal(parsing: text) }
    }

    @Test(arguments: [
        "1701411834604692317316873037158.84105728",  // Int128.max + 1 unit
        "-1701411834604692317316873037158.84105728",
        "1701411834604692317316873037159",
        "100000000000000000000000000000000000000000000",
    ])
    func rejectsOutOfRange(text: String) {
        #expect(throws: FixedDecimalError.outOfRange) { try FixedDecimal(parsing: text) }
    }

    @Test(arguments: ["", "abc", "1.2.3", "1e5", "-", "12 ", "1,5", "512345678901x", "100000000000000000000 "])
    func rejectsNonNumbers(text: String) {
        #expect(throws: FixedDecimalError.notANumber) { try FixedDecimal(parsing: text) }
    }

    @Test func doubleValueIsNearestToText() throws {
        for text in ["7195.24000000", "0.00001234", "80142.84000000", "1669.98121300", "512345678901.00000000"] {
            #expect(try FixedDecimal(parsing: text).doubleValue == Double(text)!)
        }
        let wide = try FixedDecimal(parsing: "98765432109876.54321000").doubleValue
        #expect(abs(wide - 98_765_432_109_876.54321) <= 98_765_432_109_876.54321.ulp)
    }

    @Test func ordersByValueAcrossTheInt64Boundary() throws {
        let texts = [
            "512345678901", "-92233720368.54775809", "92233720368.54775807", "-1", "0.00000001",
            "92233720368.54775808", "-92233720368.54775808", "98765432109876.54321", "10", "9.99999999",
        ]
        let sorted = try texts.map { try FixedDecimal(parsing: $0) }.sorted()
        #expect(
            sorted.map(\.description) == [
                "-92233720368.54775809", "-92233720368.54775808", "-1.00000000", "0.00000001", "9.99999999",
                "10.00000000", "92233720368.54775807", "92233720368.54775808", "512345678901.00000000",
                "98765432109876.54321000",
            ])
        #expect(try FixedDecimal(parsing: "92233720368.54775807") < FixedDecimal(parsing: "92233720368.54775808"))
        #expect(try FixedDecimal(parsing: "-92233720368.54775809") < FixedDecimal(parsing: "-92233720368.54775808"))
    }

    @Test func int64UnitsTellWhichStorageAValueTakes() throws {
        #expect(FixedDecimal(units: Int64.max).int64Units == Int64.max)
        #expect(FixedDecimal(units: Int64.min).int64Units == Int64.min)
        #expect(FixedDecimal(units: Int128(Int64.max) + 1).int64Units == nil)
        #expect(FixedDecimal(units: Int128(Int64.min) - 1).isInt64 == false)
        #expect(try FixedDecimal(parsing: "7195.24").isInt64)
        // The Int64 convenience initialiser keeps the exact units.
        let narrow: Int64 = -719_524_000_000
        #expect(FixedDecimal(units: narrow) == FixedDecimal(units: Int128(narrow)))
    }

    /// The parse reads up to 8 digits a step as a 64-bit word; its digit-at-a-time loops alone
    /// (the parse as it was before) are the oracle: same value, error and end position, for texts
    /// of digits mixed with the bytes next to `0`–`9` in ASCII, bytes past 0x7F that look like
    /// digits in their low bits, and every place a buffer can end.
    @Test func theWordAtATimeParseAgreesWithTheDigitAtATimeOne() {
        var generator = SplitMix64(seed: 20_261_208)
        let alphabet = Array("0123456789".utf8) + Array("0123456789./:,-x".utf8) + [0x80, 0xB0, 0xB9, 0xBA, 0x2F, 0x3A, 0x00]
        var checked = 0
        for _ in 0..<300_000 {
            let length = Int(generator.next() % 32)
            var text = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            // Half the cases shaped like Binance's fields: digits, a point, 8 decimals, a comma.
            if generator.next() % 2 == 0 {
                let whole = (0..<Int(generator.next() % 14)).map { _ in UInt8(48 + generator.next() % 10) }
                let fraction = (0..<Int(generator.next() % 11)).map { _ in UInt8(48 + generator.next() % 10) }
                text = whole + [UInt8(ascii: ".")] + fraction + text
            }
            let start = text.isEmpty ? 0 : Int(generator.next() % UInt64(min(3, text.count) + 1))
            let end = start + Int(generator.next() % UInt64(text.count - start + 1))
            let fieldEnd = generator.next() % 2 == 0
            text.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
                var position = start, referencePosition = start
                let parsed = FixedDecimal.parse(base, position: &position, end: end, fieldEnd: fieldEnd)
                let expected = FixedDecimal.parse(
                    base, position: &referencePosition, end: end, fieldEnd: fieldEnd, wordAtATime: false)
                #expect(parsed == expected, "\(Array(text[start..<end])) fieldEnd \(fieldEnd)")
                #expect(position == referencePosition, "\(Array(text[start..<end]))")
            }
            checked += 1
        }
        #expect(checked == 300_000)
    }
}
