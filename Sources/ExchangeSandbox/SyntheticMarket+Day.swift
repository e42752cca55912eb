import Foundation

extension SyntheticMarket {
    /// One day of minutes: a minute GARCH path with intraday seasonality, bridged from this day's
    /// open to the next day's, rounded to the coin's tick and lot sizes.
    func makeDay(_ coin: SandboxCoin, day: Int) -> [SyntheticBar] {
        let n = Self.minutesPerDay
        let todayOpen = openPrice(of: coin, day: day)
        let tomorrowOpen = openPrice(of: coin, day: day + 1)
        let dayVariance = coin.dailyVolatility * coin.dailyVolatility
        var random = SeededRandom(seed: seed, SeededRandom.label(coin.id), 0xDA7, UInt64(day))

        // Minute returns: GARCH(1,1) around the day's variance, scaled by the hour of day.
        let (alpha, beta) = (0.08, 0.90)
        let longRun = dayVariance / Double(n)
        var variance = longRun
        var returns = [Double](repeating: 0, count: n)
        var shocks = [Double](repeating: 0, count: n)
        var previous = 0.0
        for minute in 0..<n {
            variance = longRun * (1 - alpha - beta) + alpha * previous * previous + beta * variance
            let shock = random.normal()
            shocks[minute] = shock
            previous = variance.squareRoot() * Self.volatilitySeason(minute) * shock
            returns[minute] = previous
        }
        // Bridge: spread the gap between the walk's end and tomorrow's open evenly over the day.
        var path = [Double](repeating: 0, count: n + 1)
        for minute in 0..<n { path[minute + 1] = path[minute] + returns[minute] }
        let gap = log(tomorrowOpen / todayOpen) - path[n]
        for minute in 0...n { path[minute] += gap * Double(minute) / Double(n) }

        let tick = Self.tickUnits(coin)
        let step = Self.stepUnits(coin)
        let dayStart = Int64(day) * Self.millisecondsPerDay
        var bars: [SyntheticBar] = []
        bars.reserveCapacity(n)
        for minute in 0..<n {
            let openPrice = todayOpen * exp(path[minute])
            let closePrice = todayOpen * exp(path[minute + 1])
            let spread = abs(random.normal()) * longRun.squareRoot() * 0.6
            let open = Self.round(openPrice, to: tick)
            let close = Self.round(closePrice, to: tick)
            let high = max(open, close, Self.round(max(openPrice, closePrice) * exp(spread), to: tick))
            let low = max(tick, min(open, close, Self.round(min(openPrice, closePrice) * exp(-spread), to: tick)))
            let typical = (Double(open) + Double(high) + Double(low) + Double(close)) / 4e8
            let activity = 0.6 + 0.4 * min(4, abs(shocks[minute]))
            let quoteTarget =
                coin.dailyQuoteVolume / Double(n) * Self.volumeSeason(minute) * activity
                * exp(0.5 * random.normal() - 0.125)
            let volume = Self.round(quoteTarget / typical, to: step)
            let volumeValue = Double(volume) / 1e8
            let quoteVolume = Int64((volumeValue * typical * 1e8).rounded())
            let trades = volume == 0 ? 0 : max(1, Int64(volumeValue * typical / (150 + 300 * random.uniform())))
            let takerShare = 0.35 + 0.3 * random.uniform()
            let takerBase = min(volume, Self.round(volumeValue * takerShare, to: step))
            let takerQuote = volume == 0 ? 0 : Int64((Double(quoteVolume) * Double(takerBase) / Double(volume)).rounded())
            let openTime = dayStart + Int64(minute) * 60_000
            bars.append(
                SyntheticBar(
                    openTime: openTime, closeTime: openTime + 59_999, open: open, high: high,
                    low: low, close: close, volume: volume, quoteVolume: quoteVolume,
                    trades: trades, takerBuyBaseVolume: takerBase, takerBuyQuoteVolume: takerQuote))
        }
        return bars
    }

    /// Volatility by minute of the UTC day: quiet in the Asian night, busiest at the US open.
    static func volatilitySeason(_ minute: Int) -> Double {
        0.75 + 0.35 * bump(minute, center: 870, width: 120) + 0.2 * bump(minute, center: 480, width: 90)
    }

    /// Volume by minute of the UTC day (mean about 1).
    static func volumeSeason(_ minute: Int) -> Double {
        0.6 + 0.9 * bump(minute, center: 870, width: 150) + 0.4 * bump(minute, center: 480, width: 120)
            + 0.2 * bump(minute, center: 60, width: 90)
    }

    private static func bump(_ minute: Int, center: Double, width: Double) -> Double {
        let distance = Double(minute) - center
        return exp(-distance * distance / (2 * width * width))
    }

    /// Price tick in 10^-8 units: about six significant digits (0.01 for BTC), one unit for
    /// micro-priced coins, 0.0001 for stablecoins.
    static func tickUnits(_ coin: SandboxCoin) -> Int64 {
        if coin.isStablecoin { return 10_000 }
        let exponent = Int(log10(coin.initialPrice).rounded(.down)) - 6 + 8
        return exponent <= 0 ? 1 : Int64(pow(10, Double(exponent)))
    }

    /// Lot step in 10^-8 units: 0.00001 BTC, 0.0001 ETH, … at most 1 whole coin.
    static func stepUnits(_ coin: SandboxCoin) -> Int64 {
        let exponent = min(8, max(0, 8 - Int(log10(coin.initialPrice).rounded(.down)) - 1))
        return Int64(pow(10, Double(exponent)))
    }

    static func round(_ value: Double, to unit: Int64) -> Int64 {
        let units = (value * 1e8 / Double(unit)).rounded()
        return Int64(max(0, min(units, 9e18 / Double(unit)))) * unit
    }
}
