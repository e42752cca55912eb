import Foundation
import MarketData

/// Real Binance klines from `Tests/Fixtures/binance/csv` (in the repository; provenance in
/// `Tests/Fixtures/binance/SOURCES.md`).
enum SharedFixtures {
    /// `Tests/Fixtures/binance`, found from this file.
    static func directory(file: StaticString = #filePath) -> URL {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/binance")
    }

    /// The candles of a Binance CSV under `csv/`.
    static func candles(_ name: String) throws -> CandleSeries {
        let url = directory().appendingPathComponent("csv").appendingPathComponent(name)
        let bytes = [UInt8](try Data(contentsOf: url))
        return CandleSeries(try KlineCSV.parse(bytes, source: name))
    }
}
