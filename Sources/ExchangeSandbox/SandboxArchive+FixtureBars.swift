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
                let klines = try? KlineCSV.parse(csv, source: key, period: name.period)
            else { continue }
            // Synthetic bars hold Int64 units; a fixture with wider volumes is served as a file only.
            let fixtureBars = klines.compactMap { kline -> SyntheticBar? in
                guard let open = kline.open.int64Units, let high = kline.high.int64Units,
                    let low = kline.low.int64Units, let close = kline.close.int64Units,
                    let volume = kline.volume.int64Units, let quoteVolume = kline.quoteVolume.int64Units,
                    let takerBase = kline.takerBuyBaseVolume.int64Units,
                    let takerQuote = kline.takerBuyQuoteVolume.int64Units
                else { return nil }
                return SyntheticBar(
                    openTime: kline.openTime / 1000, closeTime: kline.closeTime / 1000, open: open,
                    high: high, low: low, close: close, volume: volume, quoteVolume: quoteVolume,
                    trades: kline.trades, takerBuyBaseVolume: takerBase, takerBuyQuoteVolume: takerQuote)
            }
            guard fixtureBars.count == klines.count else { continue }
            bars += fixtureBars
        }
        bars.sort { $0.openTime < $1.openTime }
        fixtureCache.withLock { $0[symbol + "/" + interval] = bars }
        return bars
    }
}
