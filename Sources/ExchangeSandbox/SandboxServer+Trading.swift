import Foundation
import HTTPTypes
import Hummingbird
import MarketData

extension SandboxServer {
    /// The parameters of a signed request: the query and the body concatenated (Binance's
    /// `totalParams`), the signature out of the signed payload; or the Binance error that refuses it:
    /// `-2014` (no or malformed key), `-2015` (unknown key), `-1102` (no timestamp or signature),
    /// `-1021` (timestamp outside `recvWindow`), `-1022` (wrong signature).
    func signedParameters(
        query: String, body: String, headers: HTTPFields
    ) -> Result<(apiKey: String, values: [String: String]), SandboxRefusal> {
        guard let apiKey = headers[HTTPField.Name(BinanceSigner.apiKeyHeader)!], !apiKey.isEmpty else {
            return .failure(SandboxRefusal(reply: .binanceError(-2014, "API-key format invalid.", status: .unauthorized)))
        }
        guard let signer = desk.signers[apiKey] else {
            return .failure(
                SandboxRefusal(reply: .binanceError(-2015, "Invalid API-key, IP, or permissions for action.", status: .unauthorized)))
        }
        let total = [query, body].filter { !$0.isEmpty }.joined(separator: "&")
        var pairs: [(String, String)] = []
        for pair in total.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            pairs.append((name, value))
        }
        guard let signature = pairs.last(where: { $0.0 == "signature" })?.1 else {
            return .failure(
                SandboxRefusal(reply: .binanceError(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.")))
        }
        // The payload is what was sent before `&signature=…`, as sent (still percent-encoded).
        let payload = total.components(separatedBy: "&signature=").first ?? ""
        let values = Dictionary(pairs.filter { $0.0 != "signature" }, uniquingKeysWith: { _, last in last })
        guard let timestamp = values["timestamp"].flatMap(Int64.init) else {
            return .failure(
                SandboxRefusal(reply: .binanceError(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.")))
        }
        let window = values["recvWindow"].flatMap(Int64.init) ?? 5_000
        let serverTime = Int64(now.timeIntervalSince1970 * 1000)
        guard timestamp < serverTime + 1_000, serverTime - timestamp <= window else {
            return .failure(SandboxRefusal(reply: .binanceError(-1021, "Timestamp for this request is outside of the recvWindow.")))
        }
        guard signer.verifies(signature, payload: payload) else {
            return .failure(SandboxRefusal(reply: .binanceError(-1022, "Signature for this request is not valid.")))
        }
        return .success((apiKey, values))
    }

    /// `GET /api/v3/account` (`USER_DATA`, weight 20): the account's commissions and balances.
    func account(_ query: String, body: String, headers: HTTPFields) -> SandboxReply {
        switch signedParameters(query: query, body: body, headers: headers) {
        case .failure(let refusal): return refusal.reply
        case .success(let signed):
            let account = desk.account(signed.apiKey)
            let fee = decimalText(configuration.takerFeeBasisPoints * 10_000)  // 10 bp → 0.00100000
            let balances = (account?.balances ?? [:]).sorted { $0.key < $1.key }.map { asset, free in
                "{\"asset\":\(jsonString(asset)),\"free\":\"\(decimalText(free))\",\"locked\":\"0.00000000\"}"
            }.joined(separator: ",")
            let bps = configuration.takerFeeBasisPoints
            return .json(
                """
                {"makerCommission":\(bps),"takerCommission":\(bps),"buyerCommission":0,"sellerCommission":0,\
                "commissionRates":{"maker":"\(fee)","taker":"\(fee)","buyer":"0.00000000","seller":"0.00000000"},\
                "canTrade":true,"canWithdraw":false,"canDeposit":false,"brokered":false,"requireSelfTradePrevention":false,\
                "preventSor":false,"updateTime":\(account?.updateTime ?? 0),"accountType":"SPOT","balances":[\(balances)],\
                "permissions":["SPOT"],"uid":1}
                """)
        }
    }

    /// `POST /api/v3/order` (`TRADE`, weight 1): `MARKET` orders with `quantity` (or `quoteOrderQty`
    /// for a buy), filled at once at the synthetic market's last price; answers Binance's `FULL`
    /// response, or `-2010` when the balance does not cover it.
    func order(_ query: String, body: String, headers: HTTPFields) -> SandboxReply {
        switch signedParameters(query: query, body: body, headers: headers) {
        case .failure(let refusal): return refusal.reply
        case .success(let signed):
            let values = signed.values
            guard let symbol = values["symbol"],
                let coin = market.coins.first(where: { $0.pairSymbol == symbol && $0.usdtPair == .trading })
            else { return .binanceError(-1121, "Invalid symbol.") }
            guard let side = values["side"], side == "BUY" || side == "SELL" else {
                return .binanceError(-1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.")
            }
            guard values["type"] == "MARKET" else {
                return .binanceError(-1116, "Invalid orderType.")
            }
            let quantity = values["quantity"].flatMap(Self.units)
            let quoteQuantity = values["quoteOrderQty"].flatMap(Self.units)
            guard (quantity ?? quoteQuantity ?? 0) > 0, quantity == nil || quoteQuantity == nil, side == "BUY" || quantity != nil
            else {
                return .binanceError(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
            }
            let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
            let minute = nowMilliseconds / 60_000 * 60_000
            guard let bar = market.bars(of: coin, intervalMilliseconds: 60_000, start: minute - 60_000, end: minute, limit: 2).last
            else { return .binanceError(-1121, "Invalid symbol.") }
            let result = desk.fillMarket(
                apiKey: signed.apiKey, base: coin.symbol, quote: "USDT", buy: side == "BUY", quantity: quantity,
                quoteQuantity: quoteQuantity, price: bar.close, feeBasisPoints: configuration.takerFeeBasisPoints, now: nowMilliseconds)
            switch result {
            case .failure:
                return .binanceError(-2010, "Account has insufficient balance for requested action.")
            case .success(let fill):
                let clientOrderId = values["newClientOrderId"] ?? "sandbox-\(fill.orderId)"
                return .json(
                    """
                    {"symbol":\(jsonString(symbol)),"orderId":\(fill.orderId),"orderListId":-1,"clientOrderId":\(jsonString(clientOrderId)),\
                    "transactTime":\(nowMilliseconds),"price":"0.00000000","origQty":"\(decimalText(fill.executedQuantity))",\
                    "executedQty":"\(decimalText(fill.executedQuantity))","origQuoteOrderQty":"\(decimalText(quoteQuantity ?? 0))",\
                    "cummulativeQuoteQty":"\(decimalText(fill.quoteQuantity))","status":"FILLED","timeInForce":"GTC","type":"MARKET",\
                    "side":\(jsonString(side)),"workingTime":\(nowMilliseconds),"fills":[{"price":"\(decimalText(bar.close))",\
                    "qty":"\(decimalText(fill.executedQuantity))","commission":"\(decimalText(fill.commission))",\
                    "commissionAsset":\(jsonString(fill.commissionAsset)),"tradeId":\(fill.tradeId)}],"selfTradePreventionMode":"EXPIRE_MAKER"}
                    """)
            }
        }
    }

    /// `"0.5"` as 8-decimal units (50,000,000); nil for anything else.
    static func units(_ text: String) -> Int64? {
        guard let value = try? FixedDecimal(parsing: text) else { return nil }  // not a decimal: the caller's -1102
        return Int64(exactly: value.units)
    }
}

/// A signed request the sandbox refuses, with Binance's error reply.
struct SandboxRefusal: Error {
    var reply: SandboxReply
}
