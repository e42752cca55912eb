import Foundation
import GRDB
import MarketData
import Testing

@testable import MarketPipeline
@testable import UpdraftDAGs

@Suite("historical: which symbols need a backfill")
struct HistoricalQueryTests {
    private func pairs(_ warehouse: KlineWarehouse, since: Date) throws -> [String] {
        try warehouse.read { db in
            try String.fetchAll(db, sql: PipelineQueries.symbolsToBackfillSQL, arguments: ["since": since.micros])
        }
    }

    @Test func tracksPairsWithNoCandleSinceTheCutoffAndSkipsStablecoins() throws {
        let warehouse = try KlineWarehouse()
        try warehouse.upsertSymbols(
            [
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: 1.3e12, binancePair: "BTCUSDT"),
                MarketSymbol(id: "tether", ticker: "usdt", name: "Tether", rank: 3, marketCap: 1e11, binancePair: nil, isStablecoin: true),
                MarketSymbol(
                    id: "usd-coin", ticker: "usdc", name: "USDC", rank: 6, marketCap: 6e10, binancePair: "USDCUSDT",
                    isStablecoin: true),
                MarketSymbol(id: "ethereum", ticker: "eth", name: "Ethereum", rank: 2, marketCap: 4e11, binancePair: "ETHUSDT"),
            ], observedAt: Date(timeIntervalSince1970: 1_700_000_000))
        let open = Date.utc(2024, 9, 21).micros
        let price = FixedDecimal(units: Int64(6_319_600_000_000))
        _ = try warehouse.insert(
            [
                Kline(
                    openTime: open, open: price, high: price, low: price, close: price,
                    volume: .zero, closeTime: open + 59_999_999, quoteVolume: .zero, trades: 0,
                    takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
            ],
            symbol: "BTCUSDT", interval: .oneMinute)
        #expect(try pairs(warehouse, since: .utc(2024, 9, 1)) == ["ETHUSDT"])
        #expect(try pairs(warehouse, since: .utc(2024, 10, 1)) == ["BTCUSDT", "ETHUSDT"])
    }
}
