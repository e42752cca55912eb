import Foundation
import MarketData

/// Real Binance klines from `shared/fixtures`, found by walking up from `#filePath`.
enum SharedFixtures {
    /// The `shared/fixtures` directory (`/work/shared/fixtures` from a worktree, `../shared/fixtures` from a clone).
    static func directory(file: StaticString = #filePath) throws -> URL {
        var url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("shared/fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no shared/fixtures above \(file)"])
    }

    /// The candles of a Binance CSV under `binance/csv/`.
    static func candles(_ name: String) throws -> CandleSeries {
        let url = try directory().appendingPathComponent("binance/csv").appendingPathComponent(name)
        let bytes = [UInt8](try Data(contentsOf: url))
        return CandleSeries(try KlineCSV.parse(bytes, source: name))
    }
}
