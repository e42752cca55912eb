/// One public trade, normalised: µs time, exact price and quantity, and whether the taker bought.
public struct ExchangeTrade: Sendable, Hashable {
    /// When it happened, µs since the epoch, UTC.
    public var time: Int64
    /// The price paid.
    public var price: FixedDecimal
    /// The base-asset quantity.
    public var quantity: FixedDecimal
    /// Whether the taker was the buyer (Kraken's side `b`).
    public var takerBought: Bool

    /// A trade from its fields.
    public init(time: Int64, price: FixedDecimal, quantity: FixedDecimal, takerBought: Bool) {
        self.time = time
        self.price = price
        self.quantity = quantity
        self.takerBought = takerBought
    }
}

/// Aggregates trades, in time order, into candles of a fixed step: open is the first price, close
/// the last, volumes summed (quote volume as Σ price × quantity), trades counted. A bucket without
/// trades makes no candle (as exchanges publish none for a minute without ticks).
struct TradeCandleBuilder {
    let step: Int64
    private(set) var candles: [Int64: Kline] = [:]

    init(step: Int64) { self.step = step }

    mutating func add(_ trade: ExchangeTrade) {
        let openTime = trade.time >= 0 ? trade.time / step * step : (trade.time - step + 1) / step * step
        let quote = ExchangeDecimal.product(trade.price, trade.quantity)
        if var candle = candles[openTime] {
            candle.high = max(candle.high, trade.price)
            candle.low = min(candle.low, trade.price)
            candle.close = trade.price
            candle.volume.units += trade.quantity.units
            candle.quoteVolume.units += quote.units
            candle.trades += 1
            if trade.takerBought {
                candle.takerBuyBaseVolume.units += trade.quantity.units
                candle.takerBuyQuoteVolume.units += quote.units
            }
            candles[openTime] = candle
        } else {
            candles[openTime] = Kline(
                openTime: openTime, open: trade.price, high: trade.price, low: trade.price, close: trade.price,
                volume: trade.quantity, closeTime: openTime + step - 1, quoteVolume: quote, trades: 1,
                takerBuyBaseVolume: trade.takerBought ? trade.quantity : .zero,
                takerBuyQuoteVolume: trade.takerBought ? quote : .zero)
        }
    }

    /// Removes and returns, oldest first, the candles opening before `openTime` (complete ones).
    mutating func take(openingBefore openTime: Int64) -> [Kline] {
        let done = candles.keys.filter { $0 < openTime }.sorted()
        return done.compactMap { candles.removeValue(forKey: $0) }
    }
}
