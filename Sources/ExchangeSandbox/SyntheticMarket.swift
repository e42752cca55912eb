import Foundation

/// Deterministic synthetic 1-minute markets for the sandbox's coins.
///
/// Each coin follows a daily GARCH(1,1) random walk (volatility clustering) from its listing day;
/// each day's 1,440 minutes are a minute-level GARCH path with intraday volatility and volume
/// seasonality, bridged so the day closes where the next day's open lies. Any day can thus be made
/// on its own, and the REST klines and the archive files for the same minutes are the same numbers.
final class SyntheticMarket: Sendable {
    static let minutesPerDay = 1_440
    static let millisecondsPerDay: Int64 = 86_400_000

    let seed: UInt64
    let coins: [SandboxCoin]
    /// Day number (days since 1970-01-01) of the first day of history.
    let firstDay: Int
    private let anchors = Locked<[String: [DayAnchor]]>([:])
    private let dayCache = Locked<(bars: [String: [SyntheticBar]], order: [String])>(([:], []))

    struct DayAnchor {
        var open: Double
        var variance: Double
    }

    init(seed: UInt64, coins: [SandboxCoin], historyStart: Date) {
        self.seed = seed
        self.coins = coins
        self.firstDay = Int((historyStart.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// The first day (days since the epoch) the coin trades.
    func listingDay(of coin: SandboxCoin) -> Int {
        firstDay + coin.listingDelayDays
    }

    /// The coin's opening price on `day` (its initial price before listing).
    func openPrice(of coin: SandboxCoin, day: Int) -> Double {
        anchor(coin, day: day).open
    }

    /// The 1,440 one-minute bars of `day`, or none before the coin's listing.
    func minuteBars(of coin: SandboxCoin, day: Int) -> [SyntheticBar] {
        guard day >= listingDay(of: coin) else { return [] }
        let key = "\(coin.id)/\(day)"
        if let cached = dayCache.withLock({ $0.bars[key] }) { return cached }
        let bars = makeDay(coin, day: day)
        dayCache.withLock { cache in
            cache.bars[key] = bars
            cache.order.append(key)
            if cache.order.count > 400 { cache.bars[cache.order.removeFirst()] = nil }
        }
        return bars
    }

    /// Bars of `intervalMilliseconds` opening in [start, end] (ms), oldest first, at most `limit`.
    func bars(of coin: SandboxCoin, intervalMilliseconds: Int64, start: Int64, end: Int64, limit: Int) -> [SyntheticBar] {
        let listingStart = Int64(listingDay(of: coin)) * Self.millisecondsPerDay
        var openTime = max(start, listingStart)
        openTime = (openTime + intervalMilliseconds - 1) / intervalMilliseconds * intervalMilliseconds
        var result: [SyntheticBar] = []
        var dayBars: (day: Int, bars: [SyntheticBar])?
        while openTime <= end && result.count < limit {
            let minutes = Int(intervalMilliseconds / 60_000)
            var slice: [SyntheticBar] = []
            slice.reserveCapacity(minutes)
            var minute = openTime
            while minute < openTime + intervalMilliseconds {
                let day = Int(minute / Self.millisecondsPerDay)
                if dayBars?.day != day { dayBars = (day, minuteBars(of: coin, day: day)) }
                let index = Int((minute - Int64(day) * Self.millisecondsPerDay) / 60_000)
                guard let bars = dayBars?.bars, index < bars.count else { break }
                slice.append(bars[index])
                minute += 60_000
            }
            if let merged = SyntheticBar.merge(slice[...], openTime: openTime, intervalMilliseconds: intervalMilliseconds) {
                result.append(merged)
            }
            openTime += intervalMilliseconds
        }
        return result
    }

    // MARK: Daily process

    private func anchor(_ coin: SandboxCoin, day: Int) -> DayAnchor {
        let offset = day - listingDay(of: coin)
        let base = DayAnchor(open: coin.initialPrice, variance: coin.dailyVolatility * coin.dailyVolatility)
        guard offset > 0 else { return base }
        return anchors.withLock { table in
            var list = table[coin.id] ?? [base]
            while list.count <= offset {
                let previous = list[list.count - 1]
                var random = SeededRandom(seed: seed, SeededRandom.label(coin.id), UInt64(list.count))
                let shock = random.normal()
                list.append(nextAnchor(coin, previous: previous, shock: shock))
            }
            table[coin.id] = list
            return list[offset]
        }
    }

    private func nextAnchor(_ coin: SandboxCoin, previous: DayAnchor, shock: Double) -> DayAnchor {
        let longRun = coin.dailyVolatility * coin.dailyVolatility
        if coin.isStablecoin {
            let open = 1 + 0.5 * (previous.open - 1) + coin.dailyVolatility * shock
            return DayAnchor(open: open, variance: longRun)
        }
        let (alpha, beta) = (0.10, 0.85)
        let ret = previous.variance.squareRoot() * shock
        let variance = longRun * (1 - alpha - beta) + alpha * ret * ret + beta * previous.variance
        return DayAnchor(open: previous.open * exp(ret - previous.variance / 2), variance: variance)
    }
}
