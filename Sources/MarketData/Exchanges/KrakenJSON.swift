import Foundation

/// Kraken's public REST JSON: every answer is `{"error":[…],"result":{…}}`; a non-empty `error`
/// array is a refusal even with HTTP 200 (`EQuery:Unknown asset pair`, `EGeneral:Too many requests`).
enum KrakenJSON {
    /// The `result` object, or the refusal as an ``ExchangeError``.
    static func result(_ body: [UInt8], url: String, status: Int? = nil) throws -> [String: Any] {
        let json = ExchangeJSON(exchange: .kraken, url: url)
        guard let object = try json.parse(body) as? [String: Any] else { throw json.failure("not a JSON object") }
        if let errors = object["error"] as? [String], let first = errors.first {
            let limited = errors.contains { $0.hasPrefix("EAPI:Rate limit") || $0 == "EGeneral:Too many requests" }
            let code = first.split(separator: ":").first.map(String.init)
            throw ExchangeError(
                exchange: .kraken, url: url, code: code, message: errors.joined(separator: "; "), status: status,
                isRateLimited: limited)
        }
        guard let result = object["result"] as? [String: Any] else { throw json.failure("no \"result\" object") }
        return result
    }

    /// The one array of a pair-keyed result (`{"XXBTZUSD":[…],"last":…}`) and the `last` cursor.
    static func pairRows(_ result: [String: Any], url: String) throws -> (rows: [[Any]], last: Any?) {
        let json = ExchangeJSON(exchange: .kraken, url: url)
        guard let key = result.keys.first(where: { $0 != "last" }) else { throw json.failure("no pair in \"result\"") }
        return (try json.rows(result[key], "result.\(key)"), result["last"])
    }

    /// `GET /0/public/OHLC`: `[time (s), open, high, low, close, vwap, volume, count]`, the last
    /// entry being the current, not yet closed candle. Quote volume is vwap × volume.
    static func ohlc(_ body: [UInt8], url: String, interval step: Int64) throws -> (candles: [Kline], last: Int64?) {
        let json = ExchangeJSON(exchange: .kraken, url: url)
        let (rows, last) = try pairRows(try result(body, url: url), url: url)
        let candles = try rows.enumerated().map { index, row in
            let openTime = try json.integer(row, 0, "time", row: index) * 1_000_000
            let volume = try json.decimal(row, 6, "volume", row: index)
            return Kline(
                openTime: openTime, open: try json.decimal(row, 1, "open", row: index),
                high: try json.decimal(row, 2, "high", row: index), low: try json.decimal(row, 3, "low", row: index),
                close: try json.decimal(row, 4, "close", row: index), volume: volume, closeTime: openTime + step - 1,
                quoteVolume: ExchangeDecimal.product(try json.decimal(row, 5, "vwap", row: index), volume),
                trades: try json.integer(row, 7, "count", row: index), takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
        }
        return (candles, (last as? NSNumber)?.int64Value)
    }

    /// `GET /0/public/Trades`: `[price, volume, time (s, fractional), side b|s, type m|l, misc,
    /// trade_id]` and `last`, the nanosecond cursor to pass as the next `since`.
    static func trades(_ body: [UInt8], url: String) throws -> (trades: [ExchangeTrade], last: String?) {
        let json = ExchangeJSON(exchange: .kraken, url: url)
        let (rows, last) = try pairRows(try result(body, url: url), url: url)
        let trades = try rows.enumerated().map { index, row in
            let seconds = try json.number(row, 2, "time", row: index)
            let side = try json.string(row, 3, "side", row: index)
            guard side == "b" || side == "s" else { throw json.failure("row \(index) field 4 (side): \"\(side)\" is neither b nor s") }
            return ExchangeTrade(
                time: Int64((seconds * 1_000_000).rounded()), price: try json.decimal(row, 0, "price", row: index),
                quantity: try json.decimal(row, 1, "volume", row: index), takerBought: side == "b")
        }
        let cursor = (last as? String) ?? (last as? NSNumber).map { "\($0.int64Value)" }
        return (trades, cursor)
    }

    /// `GET /0/public/AssetPairs`: every pair, named by its `wsname`, trading when `status` is `online`.
    static func assetPairs(_ body: [UInt8], url: String) throws -> [ExchangeSymbol] {
        let json = ExchangeJSON(exchange: .kraken, url: url)
        return try result(body, url: url).sorted { $0.key < $1.key }.map { key, value in
            guard let entry = value as? [String: Any], let wsname = entry["wsname"] as? String else {
                throw json.failure("pair \(key): no \"wsname\"")
            }
            guard let pair = KrakenAssetNames.pair(wsname: wsname) else {
                throw json.failure("pair \(key): wsname \"\(wsname)\" is not BASE/QUOTE")
            }
            let status = entry["status"] as? String ?? "online"
            return ExchangeSymbol(exchange: .kraken, pair: pair, native: key, isTrading: status == "online")
        }
    }
}
