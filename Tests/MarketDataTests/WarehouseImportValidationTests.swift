import Foundation
import Synchronization
import Testing

@testable import MarketData

/// Rows no market produces are refused with file, line and column, nothing of the file is
/// stored, and the row count reported is the count stored. The CSVs are built here.
@Suite struct WarehouseImportValidationTests {
    /// A real row: BTCUSDT 1m, 2020-01-01 00:00 UTC (ms times).
    static let fields = [
        "1577836800000", "7195.24000000", "7196.25000000", "7183.14000000", "7186.68000000",
        "51.64281200", "1577836859999", "371233.51835535", "493", "19.59823000",
        "140888.41428273", "0",
    ]
    static let dayStart: Int64 = 1_577_836_800_000

    /// The row of `minute` of 2020-01-01, with `column` (1-based) replaced by `text`.
    static func row(_ minute: Int64, _ column: Int? = nil, _ text: String = "") -> String {
        var row = fields
        row[0] = String(dayStart + minute * 60_000)
        row[6] = String(dayStart + minute * 60_000 + 59_999)
        if let column { row[column - 1] = text }
        return row.joined(separator: ",")
    }

    static func csv(_ rows: [String]) -> [UInt8] { Array((rows.joined(separator: "\n") + "\n").utf8) }

    static func zip(_ name: String, _ rows: [String]) throws -> KlineArchiveSource {
        let csvName = name.replacingOccurrences(of: ".zip", with: ".csv")
        return .bytes(name: name, bytes: try ZipArchive.make(entries: [(name: csvName, bytes: csv(rows))]), checksum: nil)
    }

    static func failure(_ result: Result<ArchiveLoad, ArchiveImportError>?) -> ArchiveImportError? {
        if case .failure(let error) = result { error } else { nil }
    }

    /// Imports one source into a fresh warehouse; expects it refused with nothing stored.
    static func expectRefused(
        _ source: KlineArchiveSource, _ expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let warehouse = try KlineWarehouse()
        let result = warehouse.importArchives([source]).first
        let error = failure(result)
        #expect(error?.description == expected, sourceLocation: sourceLocation)
        #expect(error?.isBadInput == true, sourceLocation: sourceLocation)
        #expect(try warehouse.stats().isEmpty, "rows were stored", sourceLocation: sourceLocation)
        #expect(
            try warehouse.loadedArchive(named: source.fileName) == nil, "the ledger holds the file",
            sourceLocation: sourceLocation)
    }

    static let name = "BTCUSDT-1m-2020-01-01.zip"

    /// A day's zip with its CRC-32 wrong in the central directory (the one the reader checks).
    static func zipWithWrongCRC(_ rows: [String]) throws -> KlineArchiveSource {
        var zip = try ZipArchive.make(entries: [(name: "BTCUSDT-1m-2020-01-01.csv", bytes: csv(rows))])
        let end = zip.count - 22
        let directory = Int(zip.readUInt32(at: end + 16))
        zip[directory + 16] ^= 0xFF
        return .bytes(name: name, bytes: zip, checksum: nil)
    }

    /// Rows are stored as the member inflates, before its CRC-32 can be checked: a member found
    /// corrupt at its end takes back every row already inserted, and the error names the CRC.
    @Test func aMemberFoundCorruptAtItsEndLeavesNothingStored() throws {
        let rows = (0..<1440).map { Self.row(Int64($0)) }
        let warehouse = try KlineWarehouse()
        // The store reads the clock when the file's first rows arrive (its load record).
        let clockReads = Mutex(0)
        let results = warehouse.importArchives(
            [try Self.zipWithWrongCRC(rows)], skipLoaded: false, chunkRows: 100, inflateSlice: 4_096,
            now: {
                clockReads.withLock { $0 += 1 }; return Date()
            })
        let error = Self.failure(results.first)
        #expect(error?.description.contains("CRC-32 mismatch") == true)
        #expect(error?.isBadInput == true)
        #expect(clockReads.withLock { $0 } == 1, "rows reached the store before the CRC was checked")
        #expect(try warehouse.stats().isEmpty)
        #expect(try warehouse.loadedArchive(named: Self.name) == nil)
        // The same rows in a sound zip, sliced the same way, all load.
        let good = warehouse.importArchives(
            [try Self.zip(Self.name, rows)], skipLoaded: false, chunkRows: 100, inflateSlice: 4_096, now: { Date() })
        #expect((try? good.first?.get())?.rows == 1440)
    }

    /// A bad row in a member that is also corrupt: the corruption is reported, as the cause.
    @Test func aCorruptMemberIsReportedRatherThanTheBadRowItCauses() throws {
        var rows = (0..<1440).map { Self.row(Int64($0)) }
        rows[3] = Self.row(3, 6, "-1.0")
        let results = try KlineWarehouse().importArchives(
            [try Self.zipWithWrongCRC(rows)], skipLoaded: false, chunkRows: 100, inflateSlice: 4_096,
            now: { Date() })
        #expect(Self.failure(results.first)?.description.contains("CRC-32 mismatch") == true)
    }

    /// A path that is not a regular file (here a directory named like an archive) is unreadable,
    /// not an empty archive.
    @Test func aDirectoryIsUnreadableNotEmpty() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-dir-\(UUID().uuidString)")
        let path = folder.appendingPathComponent(Self.name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = Self.failure(try KlineWarehouse().importArchives([.file(path: path)]).first)
        #expect(error?.description.contains("cannot read \(path)") == true)
    }

    @Test func barOffTheMinuteGridIsRefused() throws {
        // A whole day plus one bar at 12:00:30: a day of 1,441 rows.
        var rows = (0..<1440).map { Self.row(Int64($0)) }
        rows.insert(Self.row(720, 1, String(Self.dayStart + 720 * 60_000 + 30_000)), at: 721)
        try Self.expectRefused(
            try Self.zip(Self.name, rows),
            "\(Self.name) line 722, column 1 (open_time): open time 2020-01-01T12:00:30Z is off the 1m grid")
    }

    @Test(arguments: [
        // (column, text, the error's reason)
        (3, "7100.00000000", "'7100.00000000' is below the low (7183.14000000)"),
        (2, "7200.00000000", "'7200.00000000' is above the high (7196.25000000)"),
        (2, "7183.00000000", "'7183.00000000' is below the low (7183.14000000)"),
        (5, "7196.26000000", "'7196.26000000' is above the high (7196.25000000)"),
        (5, "7000.00000000", "'7000.00000000' is below the low (7183.14000000)"),
        (6, "-51.64281200", "'-51.64281200' is negative"),
        (8, "-371233.51835535", "'-371233.51835535' is negative"),
        (9, "-493", "'-493' is not an integer"),
        (10, "-19.59823000", "'-19.59823000' is negative"),
        (11, "-0.00000001", "'-0.00000001' is negative"),
    ])
    func impossibleRowIsRefusedNamingLineAndColumn(column: Int, text: String, reason: String) throws {
        let rows = (0..<5).map { $0 == 2 ? Self.row(Int64($0), column, text) : Self.row(Int64($0)) }
        let columnName = KlineCSVError.columnNames[column - 1]
        try Self.expectRefused(try Self.zip(Self.name, rows), "\(Self.name) line 3, column \(column) (\(columnName)): \(reason)")
    }

    @Test func negativePricesAreRefused() throws {
        let rows = [
            Self.row(0),
            Self.fields.enumerated().map { $0.offset >= 1 && $0.offset <= 4 ? "-1.00000000" : $0.element }
                .joined(separator: ",").replacingOccurrences(of: "1577836800000,", with: "1577836860000,"),
        ]
        try Self.expectRefused(
            .bytes(name: "BTCUSDT-1m-2020-01-01.csv", bytes: Self.csv(rows), checksum: nil),
            "BTCUSDT-1m-2020-01-01.csv line 2, column 4 (low): '-1.00000000' is negative")
    }

    @Test func everyIntervalHasItsGrid() throws {
        let hour: Int64 = 3_600_000, day = 24 * hour
        let jan2024: Int64 = 1_704_067_200_000  // Monday 2024-01-01 00:00 UTC
        func rows(_ openTimes: [Int64], length: Int64) -> [String] {
            openTimes.map { time in
                var row = Self.fields
                row[0] = String(time)
                row[6] = String(time + length - 1)
                return row.joined(separator: ",")
            }
        }
        // Accepted: bars on their grid, in ms and in µs.
        let warehouse = try KlineWarehouse()
        let good = warehouse.importArchives([
            try Self.zip("BTCUSDT-1h-2024-01-01.zip", rows([jan2024, jan2024 + hour], length: hour)),
            try Self.zip("BTCUSDT-1w-2024-01.zip", rows([jan2024, jan2024 + 7 * day], length: 7 * day)),
            try Self.zip("BTCUSDT-1mo-2024-01.zip", rows([jan2024], length: 31 * day)),
            try Self.zip(
                "BTCUSDT-1d-2025-01.zip",
                rows(
                    [1_735_689_600_000_000, 1_735_689_600_000_000 + day * 1000],
                    length: day * 1000)),
        ])
        #expect(try good.map { try $0.get().rows } == [2, 2, 1, 2])
        // Refused: a 1h bar at :30, a 1w bar on a Tuesday, a 1mo bar on the 2nd, a 1d bar at noon (µs).
        let refused: [(KlineArchiveSource, String)] = [
            (
                try Self.zip("BTCUSDT-1h-2024-01-01.zip", rows([jan2024, jan2024 + hour / 2], length: hour)),
                "BTCUSDT-1h-2024-01-01.zip line 2, column 1 (open_time): open time 2024-01-01T00:30:00Z is off the 1h grid"
            ),
            (
                try Self.zip("BTCUSDT-1w-2024-01.zip", rows([jan2024 + day], length: 7 * day)),
                "BTCUSDT-1w-2024-01.zip line 1, column 1 (open_time): open time 2024-01-02T00:00:00Z is off the 1w grid (weeks open on Monday 00:00 UTC)"
            ),
            (
                try Self.zip("BTCUSDT-1mo-2024-01.zip", rows([jan2024 + day], length: 31 * day)),
                "BTCUSDT-1mo-2024-01.zip line 1, column 1 (open_time): open time 2024-01-02T00:00:00Z is off the 1mo grid (months open on the 1st, 00:00 UTC)"
            ),
            (
                try Self.zip("BTCUSDT-1d-2025-01.zip", rows([1_735_689_600_000_000 + day * 500], length: day * 1000)),
                "BTCUSDT-1d-2025-01.zip line 1, column 1 (open_time): open time 2025-01-01T12:00:00Z is off the 1d grid"
            ),
        ]
        for (source, expected) in refused { try Self.expectRefused(source, expected) }
    }

    @Test func emptyFilesAreRefusedAndNotRecordedAsLoaded() throws {
        let header = KlineCSVError.columnNames.joined(separator: ",") + "\n"
        let cases: [(KlineArchiveSource, String)] = [
            (
                .bytes(name: "BTCUSDT-1m-2020-01-01.csv", bytes: [], checksum: nil),
                "BTCUSDT-1m-2020-01-01.csv: has no kline rows"
            ),
            (
                .bytes(name: "BTCUSDT-1m-2020-01-01.csv", bytes: Array(header.utf8), checksum: nil),
                "BTCUSDT-1m-2020-01-01.csv: has no kline rows"
            ),
            (
                .bytes(
                    name: Self.name, bytes: try ZipArchive.make(entries: [(name: "BTCUSDT-1m-2020-01-01.csv", bytes: [])]),
                    checksum: nil),
                "\(Self.name): has no kline rows"
            ),
        ]
        for (source, expected) in cases { try Self.expectRefused(source, expected) }
    }

    @Test func repeatedRowsAreStoredOnceAndTheCountIsWhatWasStored() throws {
        // 15 bars, 5 of them written twice in a row: 20 lines.
        var rows: [String] = []
        for minute in Int64(0)..<15 {
            rows.append(Self.row(minute))
            if minute % 3 == 0 { rows.append(Self.row(minute)) }
        }
        #expect(rows.count == 20)
        let warehouse = try KlineWarehouse()
        let source = try Self.zip(Self.name, rows)
        let load = try #require(try warehouse.importArchives([source]).first?.get())
        #expect(load.rows == 15)
        #expect(load.duplicates == 5)
        #expect(try warehouse.stats().map(\.rows) == [15])
        #expect(try warehouse.loadedArchive(named: Self.name)?.rows == 15)
    }

    @Test func aRepeatedOpenTimeWithOtherValuesIsRefusedNamingBothLines() throws {
        let rows = [Self.row(0), Self.row(1), Self.row(1, 5, "7190.00000000"), Self.row(2)]
        try Self.expectRefused(
            try Self.zip(Self.name, rows),
            "\(Self.name) line 3, column 1 (open_time): open time 2020-01-01T00:01:00Z repeats line 2 with other values")
    }

    @Test func rowsOutOfTimeOrderAreRefused() throws {
        let rows = [Self.row(0), Self.row(2), Self.row(1), Self.row(3)]
        try Self.expectRefused(
            try Self.zip(Self.name, rows),
            "\(Self.name) line 3, column 1 (open_time): open time 2020-01-01T00:01:00Z is before line 2's (2020-01-01T00:02:00Z): rows must be in time order"
        )
    }
}
