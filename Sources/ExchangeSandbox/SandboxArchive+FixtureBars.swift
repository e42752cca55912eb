import Foundation
import MarketData

extension SandboxArchive {
    /// The bars of the fixture files for a symbol and interval (ms times), oldest first, so REST
    /// klines for those minutes match the real files; empty when there are none.
    func fixtureBars(symbol: String, interval: String) -> [SyntheticBar] {
        let folder = "/klines/\(symbol)/\(interval)/"
        let paths = fixtures.filter { $0.key.contains(folder) && $0.key.hasSuffix(".zip") }
        guard !paths.isEmpty else { return [] }
        if let cached = fixtureCache.withLock({ $0[symbol + "/" + interval] }) { return cached }
        var bars: [SyntheticBar] = []
        for (key, path) in paths.sorted(by: { $0.key < $1.key }) {
            guard let name = try? KlineFileName(parsing: key), let data = FileManager.default.contents(atPath: path),
                  let entry = try? ZipArchive.entries(of: [UInt8](data), source: key).first,
                  let csv = try? ZipArchive.extract(entry, from: [UInt8](data)),
                  let klines = try? KlineCSV.parse(csv, source: key, period: name.period) else { continue }
            bars += klines.map { kline in
                SyntheticBar(openTime: kline.openTime / 1000, closeTime: kline.closeTime / 1000, open: kline.open.units,
                             high: kline.high.units, low: kline.low.units, close: kline.close.units,
                             volume: kline.volume.units, quoteVolume: kline.quoteVolume.units, trades: kline.trades,
                             takerBuyBaseVolume: kline.takerBuyBaseVolume.units,
                             takerBuyQuoteVolume: kline.takerBuyQuoteVolume.units)
            }
        }
        bars.sort { $0.openTime < $1.openTime }
        fixtureCache.withLock { $0[symbol + "/" + interval] = bars }
        return bars
    }
}
