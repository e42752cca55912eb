import Foundation

/// KuCoin's REST JSON: `{"code":"200000","data":…}` on success, `{"code":"400100","msg":"…"}` on a
/// refusal (also with HTTP 200), `{"code":"429000","msg":"Too Many Requests"}` with HTTP 429.
enum KuCoinJSON {
    /// The `data` value, or the refusal as an ``ExchangeError``.
    static func data(_ body: [UInt8], url: String, status: Int? = nil) throws -> Any {
        let json = ExchangeJSON(exchange: .kucoin, url: url)
        guard let object = try json.parse(body) as? [String: Any] else { throw json.failure("not a JSON object") }
        let code = (object["code"] as? String) ?? (object["code"] as? NSNumber).map { "\($0.intValue)" }
        guard code == "200000" else {
            let message = object["msg"] as? String ?? "no message"
            throw ExchangeError(
                exchange: .kucoin, url: url, code: code, message: message, status: status,
                isRateLimited: code == "429000" || status == 429)
        }
        guard let data = object["data"] else { throw json.failure("no \"data\"") }
        return data
    }

    /// `GET /api/v1/market/candles` rows, newest first as KuCoin sends them:
    /// `[time (s), open, close, high, low, volume (base), turnover (quote)]`; returned oldest first.
    static func candles(_ data: Any, url: String, step: Int64) throws -> [Kline] {
        let json = ExchangeJSON(exchange: .kucoin, url: url)
        let rows = try json.rows(data, "data")
        let candles = try rows.enumerated().map { index, row in
            let openTime = try json.integer(row, 0, "time", row: index) * 1_000_000
            return Kline(
                openTime: openTime, open: try json.decimal(row, 1, "open", row: index),
                high: try json.decimal(row, 3, "high", row: index), low: try json.decimal(row, 4, "low", row: index),
                close: try json.decimal(row, 2, "close", row: index), volume: try json.decimal(row, 5, "volume", row: index),
                closeTime: openTime + step - 1, quoteVolume: try json.decimal(row, 6, "turnover", row: index), trades: 0,
                takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
        }
        return candles.sorted { $0.openTime < $1.openTime }
    }

    /// `GET /api/v2/symbols` entries: `symbol` (`BTC-USDT`, stable across renames), `baseCurrency`,
    /// `quoteCurrency`, `enableTrading`.
    static func symbols(_ data: Any, url: String) throws -> [ExchangeSymbol] {
        let json = ExchangeJSON(exchange: .kucoin, url: url)
        guard let entries = data as? [[String: Any]] else { throw json.failure("data is not an array of symbols") }
        return try entries.enumerated().map { index, entry in
            guard let symbol = entry["symbol"] as? String, let base = entry["baseCurrency"] as? String,
                let quote = entry["quoteCurrency"] as? String
            else { throw json.failure("symbol \(index): needs symbol, baseCurrency and quoteCurrency") }
            return ExchangeSymbol(
                exchange: .kucoin, pair: CanonicalPair(base: base, quote: quote), native: symbol,
                isTrading: entry["enableTrading"] as? Bool ?? false)
        }
    }

    /// KuCoin's `type` for an interval (`1min`, `1hour`, `1day`, `1week`).
    static func typeName(_ interval: KlineInterval) -> String? {
        switch interval {
        case .oneMinute: "1min"
        case .threeMinutes: "3min"
        case .fiveMinutes: "5min"
        case .fifteenMinutes: "15min"
        case .thirtyMinutes: "30min"
        case .oneHour: "1hour"
        case .twoHours: "2hour"
        case .fourHours: "4hour"
        case .sixHours: "6hour"
        case .eightHours: "8hour"
        case .twelveHours: "12hour"
        case .oneDay: "1day"
        case .oneWeek: "1week"
        default: nil
        }
    }
}
