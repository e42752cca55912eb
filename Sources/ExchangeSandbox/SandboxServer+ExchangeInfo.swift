import Foundation

extension SandboxServer {
    /// `GET /api/v3/exchangeInfo`: every sandbox pair with Binance's fields and filters. The `…USDT`
    /// pairs of coins with a pair, `XMRUSDT` in `BREAK`, and a few non-USDT pairs (`ETHBTC`,
    /// `WBTCBTC`, `USDTTRY`, `BTCFDUSD`) so clients must filter.
    func exchangeInfo() -> SandboxReply {
        var symbols: [String] = []
        for coin in market.coins where coin.usdtPair != .none {
            symbols.append(
                symbolEntry(
                    coin.pairSymbol, base: coin.symbol, quote: "USDT",
                    status: coin.usdtPair == .trading ? "TRADING" : "BREAK",
                    spot: coin.usdtPair == .trading, tick: SyntheticMarket.tickUnits(coin),
                    step: SyntheticMarket.stepUnits(coin)))
        }
        for (pair, base, quote) in [
            ("ETHBTC", "ETH", "BTC"), ("WBTCBTC", "WBTC", "BTC"), ("USDTTRY", "USDT", "TRY"),
            ("BTCFDUSD", "BTC", "FDUSD"),
        ] {
            symbols.append(symbolEntry(pair, base: base, quote: quote, status: "TRADING", spot: true, tick: 1, step: 1000))
        }
        let serverTime = Int64(now.timeIntervalSince1970 * 1000)
        let text = """
            {"timezone":"UTC","serverTime":\(serverTime),"rateLimits":[\
            {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":\(configuration.binanceWeightLimit)},\
            {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100},\
            {"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":200000},\
            {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":300000}],\
            "exchangeFilters":[],"symbols":[\(symbols.joined(separator: ","))]}
            """
        return .json(text)
    }

    private func symbolEntry(
        _ symbol: String, base: String, quote: String, status: String, spot: Bool,
        tick: Int64, step: Int64
    ) -> String {
        """
        {"symbol":"\(symbol)","status":"\(status)","baseAsset":"\(base)","baseAssetPrecision":8,\
        "quoteAsset":"\(quote)","quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,\
        "quoteCommissionPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS_LIMIT","TAKE_PROFIT_LIMIT"],\
        "icebergAllowed":true,"ocoAllowed":true,"otoAllowed":true,"quoteOrderQtyMarketAllowed":true,\
        "allowTrailingStop":true,"cancelReplaceAllowed":true,"amendAllowed":true,"pegInstructionsAllowed":true,\
        "isSpotTradingAllowed":\(spot),"isMarginTradingAllowed":false,\
        "filters":[{"filterType":"PRICE_FILTER","minPrice":"\(decimalText(tick))","maxPrice":"1000000.00000000","tickSize":"\(decimalText(tick))"},\
        {"filterType":"LOT_SIZE","minQty":"\(decimalText(step))","maxQty":"9000000000.00000000","stepSize":"\(decimalText(step))"},\
        {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}],\
        "permissions":[],"permissionSets":[["SPOT"]],"defaultSelfTradePreventionMode":"EXPIRE_MAKER",\
        "allowedSelfTradePreventionModes":["EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH","DECREMENT"]}
        """
    }
}
