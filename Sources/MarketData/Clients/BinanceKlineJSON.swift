import Foundation

/// Decodes the JSON of Binance's `/api/v3/klines`: an array of 12-element arrays with times as
/// numbers and decimals as strings. Times become µs the way the archive stores the same minute:
/// open × 1000; close × 1000 before 2025 (ms-era files) and × 1000 + 999 from 2025 (µs-era files),
/// so REST and archive klines of one minute are equal. Values already in µs (≥ 10^15) are kept.
enum BinanceKlineJSON {
    static func decode(_ body: [UInt8], source: String) throws -> [Kline] {
        guard let rows = try? JSONSerialization.jsonObject(with: Data(body)) as? [Any] else {
            throw ClientResponseError(source: source, reason: "not a JSON array of klines")
        }
        var klines: [Kline] = []
        klines.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard let fields = row as? [Any], fields.count >= 11 else {
                throw ClientResponseError(source: source, reason: "kline \(index): expected an array of 12 fields")
            }
            func time(_ position: Int) throws -> Int64 {
                guard let number = fields[position] as? NSNumber else {
                    throw ClientResponseError(source: source, reason: "kline \(index) field \(position + 1): expected a number")
                }
                return number.int64Value
            }
            func decimal(_ position: Int) throws -> FixedDecimal {
                guard let text = fields[position] as? String else {
                    throw ClientResponseError(source: source, reason: "kline \(index) field \(position + 1): expected a decimal string")
                }
                do { return try FixedDecimal(parsing: text) } catch {
                    throw ClientResponseError(source: source, reason: "kline \(index) field \(position + 1): \(error)")
                }
            }
            let rawOpen = try time(0)
            let rawClose = try time(6)
            let openTime = TimeUnit.microseconds(fromRaw: rawOpen)
            var closeTime = TimeUnit.microseconds(fromRaw: rawClose)
            if rawClose < 1_000_000_000_000_000, openTime >= TimeUnit.microsecondEraStart { closeTime += 999 }
            klines.append(
                Kline(
                    openTime: openTime, open: try decimal(1), high: try decimal(2), low: try decimal(3),
                    close: try decimal(4), volume: try decimal(5), closeTime: closeTime,
                    quoteVolume: try decimal(7), trades: try time(8),
                    takerBuyBaseVolume: try decimal(9), takerBuyQuoteVolume: try decimal(10)))
        }
        return klines
    }
}
