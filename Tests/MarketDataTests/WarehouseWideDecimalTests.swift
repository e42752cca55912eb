import Foundation
import GRDB
import Testing

@testable import MarketData

/// Values whose units pass `Int64` are stored as 16-byte big-endian BLOBs beside INTEGER rows.
@Suite struct WarehouseWideDecimalTests {
    static let name = CodecKlineCSVTests.wideName
    static let bytes = Array(CodecKlineCSVTests.wideRows.utf8)

    static func importWide(into warehouse: KlineWarehouse) throws -> [Kline] {
        let load = try warehouse.importArchives([.bytes(name: name, bytes: bytes, checksum: nil)])[0].get()
        #expect(load.rows == 3)
        return try KlineCSV.parse(bytes, source: name)
    }

    @Test func importsWideVolumesAndReadsThemBackExactly() throws {
        let warehouse = try KlineWarehouse()
        let parsed = try Self.importWide(into: warehouse)
        let read = try warehouse.klines(symbol: "PEPEUSDT")
        #expect(read == parsed)
        #expect(read[1].volume.description == "512345678901.00000000")
        #expect(read[1].quoteVolume.description == "98765432109876.54321000")
        #expect(KlineCSV.format(read) == Self.bytes)
        let candles = try warehouse.candles(symbol: "PEPEUSDT")
        #expect(candles == CandleSeries(parsed))
        #expect(candles.volume == [1_234_567_890.12345678, 512_345_678_901, 92_233_720_368.54775807])
    }

    @Test func storesIntegersWhereTheyFitAndBigEndianBlobsBeyond() throws {
        let warehouse = try KlineWarehouse()
        _ = try Self.importWide(into: warehouse)
        let rows = try warehouse.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT typeof(open), typeof(volume), typeof(quote_volume), typeof(taker_buy_base_volume),
                           typeof(taker_buy_quote_volume), hex(volume), hex(quote_volume)
                    FROM tickerdata_1m WHERE symbol = 'PEPEUSDT' ORDER BY open_time
                    """)
        }
        let types = rows.map { row in (0..<5).map { row[$0] as String } }
        #expect(
            types == [
                ["integer", "integer", "integer", "integer", "integer"],
                ["integer", "blob", "blob", "blob", "blob"],
                ["integer", "integer", "blob", "integer", "blob"],
            ])
        // Same bytes as before the widening for values that fit; the Int128 big-endian otherwise.
        let first: Int64? = try warehouse.writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT volume FROM tickerdata_1m WHERE symbol = 'PEPEUSDT' ORDER BY open_time")
        }
        #expect(first == 123_456_789_012_345_678)
        #expect(rows[1][5] as String == "0000000000000002C705C00B2E0B9500")  // 51,234,567,890,100,000,000
        #expect(rows[1][6] as String == "000000000000021768922A3983099368")  // 9,876,543,210,987,654,321,000
    }

    @Test func mixedRowsShareATableWithOrdinaryFilesAndInsertsReplace() throws {
        let warehouse = try KlineWarehouse()
        let wide = try Self.importWide(into: warehouse)
        _ = try warehouse.importArchives([.file(path: CodecFixtures.zips[0].path)])[0].get()
        let btc = try warehouse.klines(symbol: "BTCUSDT")
        #expect(btc.count == 1440)
        #expect(btc.allSatisfy { [$0.volume, $0.quoteVolume, $0.takerBuyQuoteVolume].allSatisfy(\.isInt64) })
        // Replacing a BLOB row by an INTEGER one and back, through the REST insert path.
        var swapped = wide
        swapped[1].quoteVolume = FixedDecimal(units: 7)
        swapped[0].quoteVolume = FixedDecimal(units: Int128(Int64.min) - 1)
        try warehouse.insert(swapped, symbol: "PEPEUSDT", interval: .oneMinute)
        #expect(try warehouse.klines(symbol: "PEPEUSDT") == swapped)
        #expect(try warehouse.klines(symbol: "PEPEUSDT")[0].quoteVolume.description == "-92233720368.54775809")
        #expect(try warehouse.klines(symbol: "BTCUSDT") == btc)
    }

    @Test(arguments: [("'abc'", "TEXT"), ("x'0102'", "a BLOB of 2 bytes"), ("1.5", "a REAL")])
    func foreignValuesInADecimalColumnAreNamedErrors(sqlValue: String, kind: String) throws {
        let warehouse = try KlineWarehouse()
        _ = try Self.importWide(into: warehouse)
        try warehouse.writer.write { db in
            try db.execute(sql: "UPDATE tickerdata_1m SET high = \(sqlValue) WHERE open_time = 1709596860000000")
        }
        let error = #expect(throws: FixedDecimalColumnError.self) { try warehouse.klines(symbol: "PEPEUSDT") }
        #expect(error?.column == "high")
        #expect(error?.description.hasPrefix("column high holds \(kind)") == true)
        #expect(throws: FixedDecimalColumnError.self) { try warehouse.candles(symbol: "PEPEUSDT") }
    }
}
