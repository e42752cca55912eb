import Foundation
import GRDB
import Indicators
import MarketData

/// One symbol's 1-minute candles joined with their stored indicators and predictions, as the
/// alerts and trading read them. Times are µs.
///
/// ```swift
/// let bars = try MarketBars.load(symbol: "BTCUSDT", from: start, to: end, stores: stores, horizonMinutes: 60)
/// ```
public struct MarketBars: Sendable {
    public var symbol: String
    public var candles: CandleSeries
    /// Per candle: RSI 14, MACD, its signal, the Bollinger bands (nil without an indicator row
    /// or while warming up), and the prediction made at its close.
    public var rsi: [Double?]
    public var macd: [Double?]
    public var macdSignal: [Double?]
    public var bollingerUpper: [Double?]
    public var bollingerLower: [Double?]
    public var prediction: [Double?]
    /// Whether the candle has an indicator row.
    public var hasIndicators: [Bool]

    /// The candles with open time in [from, to) (µs). Where several models predicted at a time,
    /// the symbol's best model wins, else the first version by name.
    public static func load(
        symbol: String, from: Int64, to: Int64, stores: MarketStores, horizonMinutes: Int
    ) throws -> MarketBars {
        let candles = try stores.warehouse.candles(symbol: symbol, from: from, to: to)
        let (times, set) = try stores.indicators.outputs(symbol: symbol, from: from, to: to)
        var rows: [Int64: Int] = [:]
        for (index, time) in times.enumerated() { rows[time] = index }
        let predictions = try self.predictions(
            symbol: symbol, from: from, to: to, horizonMinutes: horizonMinutes, database: stores.database)
        func column(_ name: String) -> [Double?] {
            let values = set.column(name)
            return candles.openTime.map { time in rows[time].flatMap { values[$0].isNaN ? nil : values[$0] } }
        }
        return MarketBars(
            symbol: symbol, candles: candles, rsi: column("rsi14"), macd: column("macd"), macdSignal: column("macd_signal"),
            bollingerUpper: column("bb_upper"), bollingerLower: column("bb_lower"),
            prediction: candles.openTime.map { predictions[$0] }, hasIndicators: candles.openTime.map { rows[$0] != nil })
    }

    /// Predictions of `symbol` at times in [from, to) (µs) for `horizonMinutes`, one per time.
    public static func predictions(
        symbol: String, from: Int64, to: Int64, horizonMinutes: Int, database: MarketDatabase
    ) throws -> [Int64: Double] {
        try database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.time, p.prediction FROM predictions p
                    LEFT JOIN forecasting_best_models b
                        ON b.symbol = p.symbol AND b.horizon_minutes = p.horizon_minutes AND b.model_id = p.model_version
                    WHERE p.symbol = ? AND p.horizon_minutes = ? AND p.time >= ? AND p.time < ?
                    ORDER BY p.time, b.model_id IS NULL, p.model_version
                    """, arguments: [symbol, horizonMinutes, from, to])
            var out: [Int64: Double] = [:]
            for row in rows where out[row[0] as Int64] == nil { out[row[0]] = row[1] }
            return out
        }
    }

    /// The bars as the alerts see them (times in ms), only those with an indicator row.
    public var alertBars: [AlertBar] {
        candles.openTime.indices.filter { hasIndicators[$0] }.map { i in
            AlertBar(
                openTime: candles.openTime[i] / 1_000, close: candles.close[i], volume: candles.volume[i], rsi: rsi[i], macd: macd[i],
                macdSignal: macdSignal[i], bollingerUpper: bollingerUpper[i], bollingerLower: bollingerLower[i],
                prediction: prediction[i])
        }
    }

    /// The bars as the strategy sees them (times in ms).
    public var tradingBars: [TradingBar] {
        candles.openTime.indices.map { i in
            TradingBar(
                openTime: candles.openTime[i] / 1_000, open: candles.open[i], close: candles.close[i], prediction: prediction[i],
                rsi: rsi[i])
        }
    }
}
