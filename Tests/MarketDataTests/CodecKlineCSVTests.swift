import Foundation
import Testing

@testable import MarketData

@Suite struct CodecKlineCSVTests {
    /// Every real CSV (unzipped fixtures and the members of every fixture zip) with its name.
    static func realCSVs() throws -> [(name: String, bytes: [UInt8])] {
        var out = try CodecFixtures.csvs.map { ($0.lastPathComponent, try CodecFixtures.bytes($0)) }
        for url in CodecFixtures.zips {
            let zip = try CodecFixtures.bytes(url)
            let entry = try ZipArchive.entries(of: zip, source: url.lastPathComponent)[0]
            out.append((entry.name, try ZipArchive.extract(entry, from: zip)))
        }
        return out
    }

    /// The import hands the parser a member's bytes as they inflate: wherever the input is cut
    /// (mid-line, between CR and LF, after a header), the rows and errors are the whole parse's.
    @Test func bytesArrivingInPiecesParseAsTheWhole() throws {
        let rows = [
            "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore",
            "1577836800000,7195.24,7196.25,7183.14,7186.68,51.642812,1577836859999,371233.51835535,493,19.59823,140888.41428273,0",
            "1577836860000,7187.67,7188.06,7182.44,7184.03,7.248148,1577836919999,52049.32167356,135,2.031792,14592.96616866,0",
            "1577836860000,7187.67,7188.06,7182.44,7184.03,7.248148,1577836919999,52049.32167356,135,2.031792,14592.96616866,0",
            "1577836920000,7184.41,7184.71,7180.26,7182.43,11.681677,1577836979999,83886.75066768,202,5.479244,39351.27999953,0",
        ]
        let good = Array(rows.joined(separator: "\r\n").utf8)  // no line end after the last row
        var bad = rows
        bad[4] = bad[4].replacingOccurrences(of: "7180.26", with: "7190.26")  // low above the close
        for (bytes, label) in [(good, "good"), (Array(bad.joined(separator: "\n").utf8) + [10], "bad")] {
            let whole = Result { try KlineCSV.parse(bytes, source: "x.csv", chunkRows: 2) { _ in } }
            var wholeRows: [Kline] = []
            _ = try? KlineCSV.parse(bytes, source: "x.csv", chunkRows: 2) { wholeRows += $0 }
            for cut in 0...bytes.count {
                var reader = KlineCSVReader(
                    source: "x.csv", period: nil, interval: nil, chunkRows: 2, expectedBytes: bytes.count)
                var got: [Kline] = []
                let result = bytes.withUnsafeBytes { raw in
                    reader.parse(UnsafeRawBufferPointer(rebasing: raw[0..<cut]), final: false) { got += $0 }
                        .flatMap { reader.parse(raw, final: true) { got += $0 } }
                }
                switch (result, whole) {
                case (.success, .success(let duplicates)):
                    #expect(got == wholeRows && reader.duplicates == duplicates, "\(label) cut at \(cut)")
                case (.failure(let error), .failure(let wholeError as KlineCSVError)):
                    #expect(error == wholeError, "\(label) cut at \(cut)")
                default:
                    Issue.record("\(label) cut at \(cut): \(result) against \(whole)")
                }
            }
            if label == "good" { #expect(wholeRows.count == 3) } else { #expect(whole.failureLine == 5) }
        }
    }

    @Test func everyFixtureParsesToExactlyItsSourceRows() throws {
        for (name, bytes) in try Self.realCSVs() {
            let period = try KlineFileName(parsing: name).period
            let klines = try KlineCSV.parse(bytes, source: name, period: period)
            // An independent reading: split the text and compare field by field.
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            #expect(klines.count == lines.count, "\(name)")
            for (kline, line) in zip(klines, lines) {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(f.count == 12)
                let scale: Int64 = f[0].count >= 16 ? 1 : 1000
                #expect(kline.openTime == Int64(f[0])! * scale)
                #expect(kline.closeTime == Int64(f[6])! * scale)
                #expect([kline.open, kline.high, kline.low, kline.close, kline.volume].map(\.description) == Array(f[1...5]))
                #expect(kline.quoteVolume.description == f[7])
                #expect(kline.trades == Int64(f[8])!)
                #expect(kline.takerBuyBaseVolume.description == f[9])
                #expect(kline.takerBuyQuoteVolume.description == f[10])
                #expect(kline.open.doubleValue == Double(f[1])!)
            }
            #expect(lines.count == (name.contains("-1m-") ? 1440 : name.contains("2024-08") ? 744 : 24))
        }
    }

    @Test func formatReproducesEveryFixtureByteForByte() throws {
        for (name, bytes) in try Self.realCSVs() {
            let klines = try KlineCSV.parse(bytes, source: name)
            #expect(KlineCSV.format(klines, timeUnit: nil) == bytes, "\(name)")
        }
    }

    @Test func chunkedParseHandsOverTheSameRows() throws {
        for (name, bytes) in try Self.realCSVs() {
            var chunks: [[Kline]] = []
            try KlineCSV.parse(bytes, source: name, chunkRows: 100) { chunks.append($0) }
            #expect(chunks.dropLast().allSatisfy { $0.count == 100 })
            #expect(chunks.flatMap { $0 } == (try KlineCSV.parse(bytes, source: name)))
        }
    }

    @Test func microsecondAndMillisecondFilesShareOneScale() throws {
        let csvs = try Self.realCSVs()
        let ms = try KlineCSV.parse(csvs.first { $0.name == "BTCUSDT-1m-2020-01-01.csv" }!.bytes, source: "ms")
        let us = try KlineCSV.parse(csvs.first { $0.name == "BTCUSDT-1h-2026-05-08.csv" }!.bytes, source: "us")
        #expect(ms[0].openTime == UTCCalendar.microseconds(year: 2020, month: 1, day: 1))
        #expect(us[0].openTime == UTCCalendar.microseconds(year: 2026, month: 5, day: 8))
        #expect(ms[1].openTime - ms[0].openTime == KlineInterval.oneMinute.microseconds)
        #expect(us[1].openTime - us[0].openTime == KlineInterval.oneHour.microseconds)
        #expect(ms[0].closeTime == ms[0].openTime + 59_999_000)  // ms file: close = open + 1 min − 1 ms
        #expect(us[0].closeTime == us[0].openTime + 3_599_999_999)  // µs file: close = open + 1 h − 1 µs
        // Forced units convert both ways.
        let msText = String(decoding: KlineCSV.format([us[0]], timeUnit: .milliseconds), as: UTF8.self)
        #expect(msText.hasPrefix("1778198400000,80006.00000000,"))
        #expect(msText.contains(",1778201999999,"))
        let usText = String(decoding: KlineCSV.format([ms[0]], timeUnit: .microseconds), as: UTF8.self)
        #expect(usText.hasPrefix("1577836800000000,7195.24000000,"))
    }

    static let row =
        "1577836800000,7195.24000000,7196.25000000,7183.14000000,7186.68000000,51.64281200,1577836859999,371233.51835535,493,19.59823000,140888.41428273,0"

    /// Integer fields are read 8 digits a word: every length up to Int64's 19 digits, with
    /// leading zeros and at the end of a line, gives the number the text says.
    @Test func integersOfEveryLengthParseExactly() throws {
        for digits in 1...19 {
            let trades = digits == 19 ? Int64.max : Int64(String(repeating: "9", count: digits))! - Int64(digits)
            for text in [String(trades), "000" + String(trades)] {
                let line = Self.row.replacingOccurrences(of: ",493,", with: ",\(text),")
                #expect(try KlineCSV.parse(Array(line.utf8), source: "f.csv").first?.trades == trades, "\(text)")
            }
        }
        // Too large past 16 digits read a word at a time, and '/' and ':' (beside the digits in
        // ASCII) inside a number.
        for (from, to, column) in [
            ("1577836800000,", "00000000000000009223372036854775808,", 1), (",493,", ",49/3,", 9), (",493,", ",4:93,", 9),
        ] {
            let line = Self.row.replacingOccurrences(of: from, with: to)
            let error = #expect(throws: KlineCSVError.self) { try KlineCSV.parse(Array(line.utf8), source: "f.csv") }
            #expect(error?.column == column, "\(to)")
        }
        // A short last line: fewer than 8 bytes left for the final fields.
        let short = "1577836800000,1,1,1,1,1,1577836859999,1,7,1,1,0"
        #expect(try KlineCSV.parse(Array(short.utf8), source: "f.csv").first?.trades == 7)
    }

    @Test func acceptsCRLFAndAFuturesHeaderAndNoFinalNewline() throws {
        let header = KlineCSVError.columnNames.joined(separator: ",")
        let text = header + "\r\n" + Self.row + "\r\n" + Self.row.replacingOccurrences(of: "1577836800000,", with: "1577836860000,")
        let klines = try KlineCSV.parse(Array(text.utf8), source: "futures.csv")
        #expect(klines.count == 2)
        #expect(klines[1].openTime == 1_577_836_860_000_000)
        #expect(klines[0].open.units == 719_524_000_000)
        #expect(try KlineCSV.parse([UInt8](), source: "empty.csv").isEmpty)
    }

    @Test func malformedRowNamesFileLineAndColumn() {
        let bad = Self.row.replacingOccurrences(of: "7196.25000000", with: "7196.2x")
        let text = Self.row + "\n" + Self.row + "\n" + bad + "\n"
        let error = #expect(throws: KlineCSVError.self) {
            try KlineCSV.parse(Array(text.utf8), source: "BTCUSDT-1m-2020-01-01.csv")
        }
        #expect(error?.line == 3)
        #expect(error?.column == 3)
        #expect(error?.description == "BTCUSDT-1m-2020-01-01.csv line 3, column 3 (high): '7196.2x' is not a decimal number")
    }

    @Test(arguments: [
        ("1577836800000,1,2", nil as Int?),  // too few fields
        (row + ",extra", nil),  // too many fields
        (row.replacingOccurrences(of: ",493,", with: ",4.5,"), 9),
        (row.replacingOccurrences(of: "51.64281200", with: "51.642812001"), 6),
        (row.replacingOccurrences(of: "1577836800000,", with: "1577836800000x,"), 1),
        (row.replacingOccurrences(of: "1577836800000,", with: "9223372036854775808,"), 1),
        (row.replacingOccurrences(of: "371233.51835535", with: "100000000000.000000001"), 8),  // 9 decimals, > Int64 units
        (row.replacingOccurrences(of: "51.64281200", with: "1701411834604692317316873037159.0"), 6),  // > Int128 units
    ])
    func rejectsMalformedRows(text: String, column: Int?) {
        let error = #expect(throws: KlineCSVError.self) { try KlineCSV.parse(Array((text + "\n").utf8), source: "f.csv") }
        #expect(error?.line == 1)
        #expect(error?.column == column)
    }

    /// A day of a micro-priced coin: volumes and quote volumes past `Int64` units (one just
    /// below and one just above the boundary in row 3) beside ordinary ones.
    static let wideName = "PEPEUSDT-1m-2024-03-05.csv"
    static let wideRows = """
        1709596800000,0.00001234,0.00001240,0.00001230,0.00001238,1234567890.12345678,1709596859999,15234.56789012,1200,600000000.00000000,7400.00000000,0
        1709596860000,0.00001238,0.00001250,0.00001237,0.00001249,512345678901.00000000,1709596919999,98765432109876.54321000,98000,256172839450.50000000,49382716054938.27160500,0
        1709596920000,0.00001249,0.00001249,0.00001240,0.00001241,92233720368.54775807,1709596979999,92233720368.54775808,45000,92233720368.54775806,92233720368.54775809,0

        """

    @Test func volumesPastInt64UnitsParseAndFormatByteForByte() throws {
        let bytes = Array(Self.wideRows.utf8)
        let klines = try KlineCSV.parse(bytes, source: Self.wideName, period: .day(year: 2024, month: 3, day: 5))
        #expect(klines.count == 3)
        #expect(klines[1].volume.units == 51_234_567_890_100_000_000)
        #expect(klines[1].quoteVolume.units == 9_876_543_210_987_654_321_000)
        #expect(klines[1].takerBuyQuoteVolume.description == "49382716054938.27160500")
        #expect(klines[2].volume.units == Int128(Int64.max))
        #expect(klines[2].quoteVolume.units == Int128(Int64.max) + 1)
        #expect(klines.map(\.volume.isInt64) == [true, false, true])
        #expect(klines[0].open.units == 1_234)
        #expect(KlineCSV.format(klines, timeUnit: nil) == bytes)
        var chunks: [Kline] = []
        try KlineCSV.parse(bytes, source: Self.wideName, chunkRows: 2) { chunks += $0 }
        #expect(chunks == klines)
    }

    @Test func nineDecimalsOnAWideVolumeNameFileLineAndColumn() {
        let text = Self.wideRows.replacingOccurrences(of: "98765432109876.54321000", with: "98765432109876.543210001")
        let error = #expect(throws: KlineCSVError.self) { try KlineCSV.parse(Array(text.utf8), source: Self.wideName) }
        #expect(error?.line == 2)
        #expect(error?.column == 8)
        #expect(
            error?.description == "PEPEUSDT-1m-2024-03-05.csv line 2, column 8 (quote_volume): "
                + "'98765432109876.543210001' has more than 8 decimals")
    }

    @Test func rowOutsideThePeriodIsAnError() throws {
        let text = Self.row + "\n" + Self.row.replacingOccurrences(of: "1577836800000,", with: "1577923200000,") + "\n"
        let error = #expect(throws: KlineCSVError.self) {
            try KlineCSV.parse(Array(text.utf8), source: "BTCUSDT-1m-2020-01-01.csv", period: .day(year: 2020, month: 1, day: 1))
        }
        #expect(error?.line == 2)
        #expect(error?.description.contains("outside the file's period 2020-01-01") == true)
        #expect(try KlineCSV.parse(Array(text.utf8), source: "m", period: .month(year: 2020, month: 1)).count == 2)
    }

    @Test func exactRepeatsAreDroppedAcrossChunksAndCounted() throws {
        let rows = [0, 1, 1, 2, 2, 2, 3].map { WarehouseImportValidationTests.row(Int64($0)) }
        let bytes = WarehouseImportValidationTests.csv(rows)
        var chunks: [[Kline]] = []
        let duplicates = try KlineCSV.parse(bytes, source: "f.csv", interval: .oneMinute, chunkRows: 2) { chunks.append($0) }
        #expect(duplicates == 3)
        #expect(chunks.map(\.count) == [2, 2])
        #expect(chunks.joined().map(\.openTime) == (0..<4).map { 1_577_836_800_000_000 + $0 * 60_000_000 })
        #expect(try KlineCSV.parse(bytes, source: "f.csv").count == 4)
        // A repeat with other values is an error, also when its twin began a new chunk.
        let row = WarehouseImportValidationTests.row
        let conflicting = [row(0, nil, ""), row(1, nil, ""), row(2, nil, ""), row(2, 9, "494")]
        var handedOver: [[Kline]] = []
        let error = #expect(throws: KlineCSVError.self) {
            try KlineCSV.parse(WarehouseImportValidationTests.csv(conflicting), source: "f.csv", chunkRows: 2) { handedOver.append($0) }
        }
        #expect(handedOver.map(\.count) == [2])
        #expect(error?.description == "f.csv line 4, column 1 (open_time): open time 2020-01-01T00:02:00Z repeats line 3 with other values")
    }

    @Test(arguments: [
        (KlineInterval.oneSecond, Int64(1_000_000), true), (.oneMinute, 60_000_000, true), (.oneMinute, 60_000_001, false),
        (.fourHours, 4 * 3_600_000_000, true), (.fourHours, 3_600_000_000, false), (.oneDay, 86_400_000_000, true),
        (.threeDays, 86_400_000_000, true), (.threeDays, 3_600_000_000, false),
        (.oneWeek, 1_704_067_200_000_000, true),  // Monday 2024-01-01
        (.oneWeek, 1_704_067_200_000_000 + 86_400_000_000, false),  // Tuesday
        (.oneMonth, 1_706_745_600_000_000, true),  // 2024-02-01
        (.oneMonth, 1_706_745_600_000_000 - 86_400_000_000, false),
    ])
    func openTimesLieOnTheIntervalsGrid(interval: KlineInterval, openTime: Int64, expected: Bool) {
        #expect(interval.isOpenTime(openTime) == expected)
    }

    @Test func candleSeriesHoldsColumnsAsDoubles() throws {
        let klines = try KlineCSV.parse(Array((Self.row + "\n").utf8), source: "f.csv")
        let series = CandleSeries(klines)
        #expect(series.count == 1)
        #expect(series.openTime == [1_577_836_800_000_000])
        #expect(series.high == [7196.25])
        #expect(series.volume == [51.642812])
    }
}

extension Result where Failure == any Error {
    /// The line of a CSV error, for the test above.
    fileprivate var failureLine: Int? {
        if case .failure(let error as KlineCSVError) = self { error.line } else { nil }
    }
}
