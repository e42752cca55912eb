import Foundation

/// Poloniex's spot REST JSON (the current API at `https://api.poloniex.com`): bare arrays on
/// success, `{"code":21711,"message":"…"}` on a refusal.
enum PoloniexJSON {
    /// The refusal in `body`, when it is one.
    static func refusal(_ body: [UInt8], url: String, status: Int?) -> ExchangeError? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let message = object["message"] as? String
        else { return nil }
        let code = (object["code"] as? NSNumber).map { "\($0.intValue)" } ?? (object["code"] as? String)
        return ExchangeError(exchange: .poloniex, url: url, code: code, message: message, status: status, isRateLimited: status == 429)
    }

    /// `GET /markets/{symbol}/candles` rows: `[low, high, open, close, amount (quote), quantity
    /// (base), buyTakerAmount, buyTakerQuantity, tradeCount, ts, weightedAverage, interval,
    /// startTime (ms), closeTime (ms)]`; returned oldest first.
    static func candles(_ body: [UInt8], url: String, step: Int64) throws -> [Kline] {
        if let refusal = refusal(body, url: url, status: nil) { throw refusal }
        let json = ExchangeJSON(exchange: .poloniex, url: url)
        let rows = try json.rows(try json.parse(body), "candles")
        let candles = try rows.enumerated().map { index, row in
            let openTime = try json.integer(row, 12, "startTime", row: index) * 1_000
            return Kline(
                openTime: openTime, open: try json.decimal(row, 2, "open", row: index),
                high: try json.decimal(row, 1, "high", row: index), low: try json.decimal(row, 0, "low", row: index),
                close: try json.decimal(row, 3, "close", row: index), volume: try json.decimal(row, 5, "quantity", row: index),
                closeTime: openTime + step - 1, quoteVolume: try json.decimal(row, 4, "amount", row: index),
                trades: try json.integer(row, 8, "tradeCount", row: index),
                takerBuyBaseVolume: try json.decimal(row, 7, "buyTakerQuantity", row: index),
                takerBuyQuoteVolume: try json.decimal(row, 6, "buyTakerAmount", row: index))
        }
        return candles.sorted { $0.openTime < $1.openTime }
    }

    /// `GET /markets` entries: `symbol` (`BTC_USDT`), `baseCurrencyName`, `quoteCurrencyName`,
    /// `state` (`NORMAL` trades).
    static func markets(_ body: [UInt8], url: String) throws -> [ExchangeSymbol] {
        if let refusal = refusal(body, url: url, status: nil) { throw refusal }
        let json = ExchangeJSON(exchange: .poloniex, url: url)
        guard let entries = try json.parse(body) as? [[String: Any]] else { throw json.failure("not an array of markets") }
        return try entries.enumerated().map { index, entry in
            guard let symbol = entry["symbol"] as? String, let base = entry["baseCurrencyName"] as? String,
                let quote = entry["quoteCurrencyName"] as? String
            else { throw json.failure("market \(index): needs symbol, baseCurrencyName and quoteCurrencyName") }
            return ExchangeSymbol(
                exchange: .poloniex, pair: CanonicalPair(base: base, quote: quote), native: symbol,
                isTrading: (entry["state"] as? String) == "NORMAL")
        }
    }

    /// Poloniex's `interval` for an interval (`MINUTE_1`, `HOUR_1`, `DAY_1`, `WEEK_1`).
    static func intervalName(_ interval: KlineInterval) -> String? {
        switch interval {
        case .oneMinute: "MINUTE_1"
        case .fiveMinutes: "MINUTE_5"
        case .fifteenMinutes: "MINUTE_15"
        case .thirtyMinutes: "MINUTE_30"
        case .oneHour: "HOUR_1"
        case .twoHours: "HOUR_2"
        case .fourHours: "HOUR_4"
        case .sixHours: "HOUR_6"
        case .twelveHours: "HOUR_12"
        case .oneDay: "DAY_1"
        case .threeDays: "DAY_3"
        case .oneWeek: "WEEK_1"
        default: nil
        }
    }
}
