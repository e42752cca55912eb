import Forecasting
import Foundation
import MarketData
import MarketPipeline
import UpdraftCLI
import UpdraftRuntime

/// The demo's closing report: the symbols recorded, the candles and gaps per tracked pair,
/// the indicator rows, each pair's best model against the zero-return baseline, and the
/// latest predictions.
struct DemoSummary {
    let warehouse: KlineWarehouse
    let forecaster: Forecaster
    let indicators: IndicatorStore
    let horizonMinutes: Int

    func render() throws -> String {
        let symbols = try warehouse.symbols()
        let tracked = symbols.filter { $0.binancePair != nil && !$0.isStablecoin }
            .sorted { ($0.rank ?? .max, $0.id) < ($1.rank ?? .max, $1.id) }
        let stablecoins = symbols.filter(\.isStablecoin).count
        let withoutPair = symbols.filter { $0.binancePair == nil && !$0.isStablecoin }.count
        var lines = [
            "Symbols: \(symbols.count) coins recorded, \(tracked.count) tracked, "
                + "\(stablecoins) stablecoins and \(withoutPair) without a pair skipped", "",
        ]

        let stats = Dictionary(
            try warehouse.stats().filter { $0.interval == .oneMinute }.map { ($0.symbol, $0) },
            uniquingKeysWith: { $1 })
        let indicatorRows = try indicators.rowCounts()
        var table = TextTable(
            [
                "PAIR", "CANDLES", "FROM", "TO", "GAPS", "INDICATORS", "BEST MODEL", "MSE / BASELINE",
                "DIRECTION",
            ], rightAligned: [1, 4, 5, 7, 8])
        var totalCandles = 0, totalMissing = 0
        for symbol in tracked {
            guard let pair = symbol.binancePair else { continue }
            let stat = stats[pair]
            let missing = try warehouse.gaps(symbol: pair).reduce(0) { $0 + $1.missing }
            totalCandles += stat?.rows ?? 0
            totalMissing += missing
            let best = try forecaster.registry.bestModel(symbol: pair, horizonMinutes: horizonMinutes)
            table.append([
                pair, (stat?.rows ?? 0).formatted(), stat.map { Self.day($0.firstOpenTime) } ?? "-",
                stat.map { Self.day($0.lastOpenTime) } ?? "-", missing.formatted(),
                (indicatorRows[pair] ?? 0).formatted(), best.map { "\($0.kind) v\($0.version)" } ?? "-",
                best.map { String(format: "%.4f", $0.validation.mse / max($0.baseline.mse, .leastNonzeroMagnitude)) } ?? "-",
                best.map { String(format: "%.1f%%", $0.validation.directionalAccuracy * 100) } ?? "-",
            ])
        }
        lines.append(table.render())
        lines.append("Candles: \(totalCandles.formatted()) one-minute candles, \(totalMissing.formatted()) missing minutes")
        for exchange in ExchangeID.allCases {
            let counts = try warehouse.stats(exchange: exchange).reduce(into: [KlineInterval: Int]()) {
                $0[$1.interval, default: 0] += $1.rows
            }
            guard !counts.isEmpty else { continue }
            let parts = KlineInterval.allCases.compactMap { interval in counts[interval].map { "\($0.formatted()) \(interval.rawValue)" } }
            lines.append("\(exchange.displayName): " + parts.joined(separator: ", "))
        }
        lines.append("")

        let predictions = try forecaster.registry.predictions(limit: 2_000)
        var latest: [String: PredictionRecord] = [:]
        for prediction in predictions where (latest[prediction.symbol]?.time ?? .min) < prediction.time {
            latest[prediction.symbol] = prediction
        }
        var forecasts = TextTable(["PAIR", "AT", "HORIZON", "MODEL", "PREDICTED LOG RETURN"], rightAligned: [2, 4])
        for symbol in tracked {
            guard let pair = symbol.binancePair, let prediction = latest[pair] else { continue }
            forecasts.append([
                pair, Self.minute(prediction.time), "\(prediction.horizonMinutes)m",
                prediction.modelVersion, String(format: "%+.6f", prediction.prediction),
            ])
        }
        lines.append("Latest predictions:")
        lines.append(forecasts.render())
        return lines.joined(separator: "\n")
    }

    private static func day(_ micros: Int64) -> String {
        String(minute(micros).prefix(10))
    }

    private static func minute(_ micros: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }
}
