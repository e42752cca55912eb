import MarketData

/// Which sandbox coins each exchange lists, and under which name: every live USDT pair on KuCoin
/// and Poloniex, the featured ones on Kraken (with `XBT` and `XDG` for bitcoin and dogecoin, and
/// `XXBTZUSD`/`XETHZUSD` USD pairs at the same prices), so clients must map names.
struct SandboxListing: Sendable {
    var coin: SandboxCoin
    var pair: CanonicalPair
    var native: String
    /// Kraken's `wsname` (`XBT/USDT`); the native name elsewhere.
    var displayName: String
}

extension SandboxServer {
    func listings(_ exchange: ExchangeID) -> [SandboxListing] {
        let live = market.coins.filter { $0.usdtPair == .trading }
        switch exchange {
        case .binance:
            return live.map {
                SandboxListing(
                    coin: $0, pair: CanonicalPair(base: $0.symbol, quote: "USDT"), native: $0.pairSymbol, displayName: $0.pairSymbol)
            }
        case .kucoin:
            return live.map {
                SandboxListing(
                    coin: $0, pair: CanonicalPair(base: $0.symbol, quote: "USDT"), native: $0.symbol + "-USDT",
                    displayName: $0.symbol + "-USDT")
            }
        case .poloniex:
            return live.map {
                SandboxListing(
                    coin: $0, pair: CanonicalPair(base: $0.symbol, quote: "USDT"), native: $0.symbol + "_USDT",
                    displayName: $0.symbol + "/USDT")
            }
        case .kraken:
            let featured = Set(SandboxCoinUniverse.featured.map(\.id))
            var result: [SandboxListing] = []
            for coin in live where featured.contains(coin.id) {
                let name = ["BTC": "XBT", "DOGE": "XDG"][coin.symbol] ?? coin.symbol
                result.append(
                    SandboxListing(
                        coin: coin, pair: CanonicalPair(base: coin.symbol, quote: "USDT"), native: name + "USDT",
                        displayName: name + "/USDT"))
                if coin.symbol == "BTC" || coin.symbol == "ETH" {
                    result.append(
                        SandboxListing(
                            coin: coin, pair: CanonicalPair(base: coin.symbol, quote: "USD"), native: "X\(name)ZUSD",
                            displayName: name + "/USD"))
                }
            }
            return result
        }
    }

    /// The listing an exchange's request names, by its native name (Kraken also by `altname`).
    func listing(_ exchange: ExchangeID, named name: String) -> SandboxListing? {
        listings(exchange).first {
            $0.native == name || (exchange == .kraken && $0.displayName.replacingOccurrences(of: "/", with: "") == name)
        }
    }

    /// Charges `weight` to the exchange's budget: `nil` when allowed (with the remaining weight and
    /// the milliseconds until the window resets), else the refusal in the exchange's own shape.
    func charge(_ exchange: ExchangeID, weight: Int) -> (refusal: SandboxReply?, remaining: Int, reset: Int64) {
        let budget = configuration.exchangeBudgets[exchange] ?? SandboxExchangeBudget.documented[exchange]!
        switch exchangeMeter.charge(weight, on: exchange, budget: budget, at: configuration.weightClock()) {
        case .allowed(let remaining, let reset):
            return (nil, remaining, reset)
        case .limited(let reset):
            return (rateLimitReply(exchange, resetMilliseconds: reset, capacity: budget.capacity), 0, reset)
        }
    }

    /// Each exchange's answer when over its limit.
    func rateLimitReply(_ exchange: ExchangeID, resetMilliseconds: Int64, capacity: Int) -> SandboxReply {
        switch exchange {
        case .kraken:
            return .json(#"{"error":["EGeneral:Too many requests"]}"#, status: .tooManyRequests)
        case .kucoin:
            return .json(
                #"{"code":"429000","msg":"Too Many Requests"}"#, status: .tooManyRequests,
                headers: [
                    ("gw-ratelimit-limit", String(capacity)), ("gw-ratelimit-remaining", "0"),
                    ("gw-ratelimit-reset", String(resetMilliseconds)),
                ])
        case .poloniex, .binance:
            return .json(#"{"code":429,"message":"Too many requests"}"#, status: .tooManyRequests)
        }
    }
}
