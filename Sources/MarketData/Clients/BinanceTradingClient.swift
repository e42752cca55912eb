import Foundation
import UpdraftHTTP

/// An error Binance answered (`{"code": -2010, "msg": "…"}`), or a failed transport; the
/// description names the endpoint, never the key, the query or the signature.
public struct BinanceAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Binance's code (`-1021` timestamp outside recvWindow, `-1022` bad signature, `-2010`
    /// insufficient balance, `-2015` unknown key…); 0 when the request never got an answer.
    public var code: Int
    public var message: String
    /// The HTTP status (0 without an answer).
    public var status: Int
    /// `POST /api/v3/order`.
    public var endpoint: String

    public var description: String {
        code == 0 ? "\(endpoint): \(message)" : "\(endpoint): Binance error \(code) (HTTP \(status)): \(message)"
    }
}

/// Binance's error body.
struct BinanceErrorBody: Decodable {
    var code: Int
    var msg: String
}

/// The side of an order.
public enum BinanceOrderSide: String, Sendable, Hashable {
    case buy = "BUY", sell = "SELL"
}

/// A balance of `GET /api/v3/account`.
public struct BinanceBalance: Sendable, Hashable, Decodable {
    public var asset: String
    public var free: String
    public var locked: String
}

/// What `POST /api/v3/order` answered for a market order (`newOrderRespType=FULL`).
public struct BinanceOrderFill: Sendable, Hashable, Decodable {
    public struct Fill: Sendable, Hashable, Decodable {
        public var price: String
        public var qty: String
        public var commission: String
        public var commissionAsset: String
        public var tradeId: Int64
    }

    public var symbol: String
    public var orderId: Int64
    public var clientOrderId: String
    public var transactTime: Int64
    public var executedQty: String
    public var cummulativeQuoteQty: String
    public var status: String
    public var side: String
    public var fills: [Fill]
}

/// Binance spot's signed endpoints (`GET /api/v3/account`, `POST /api/v3/order`), for the
/// sandbox (`trading.mode: sandbox`) and the real exchange. Orders are sent once and never
/// retried; a lost answer is for the caller to reconcile through the account.
///
/// ```swift
/// let trading = BinanceTradingClient(baseURL: endpoints.binance, signer: BinanceSigner(apiKey: key, secretKey: secret))
/// let fill = try await trading.marketOrder(symbol: "BTCUSDT", side: .buy, quoteQuantity: "100")
/// ```
public struct BinanceTradingClient: Sendable {
    public let baseURL: String
    /// Milliseconds a request stays valid after its timestamp (Binance's default 5,000).
    public let recvWindow: Int
    private let signer: BinanceSigner
    private let now: @Sendable () -> Date
    private let http: HTTPClient

    public init(
        baseURL: String = "https://api.binance.com", signer: BinanceSigner, recvWindow: Int = 5_000,
        now: @escaping @Sendable () -> Date = { Date() }, http: HTTPClient = HTTPClient()
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.signer = signer; self.recvWindow = recvWindow; self.now = now; self.http = http
    }

    /// The account's balances (weight 20).
    public func account() async throws(BinanceAPIError) -> [BinanceBalance] {
        struct Body: Decodable { var balances: [BinanceBalance] }
        let query = signer.signedQuery([("omitZeroBalances", "false")], timestamp: timestamp(), recvWindow: recvWindow)
        let body: Body = try await call(
            HTTPRequest(url: baseURL + "/api/v3/account?" + query, headers: headers(), weight: 20, rateLimit: .binance),
            endpoint: "GET /api/v3/account")
        return body.balances
    }

    /// A market order of `quantity` base units, or (a buy) of `quoteQuantity` quote units; the
    /// parameters go in the form body, signed.
    public func marketOrder(
        symbol: String, side: BinanceOrderSide, quantity: String? = nil, quoteQuantity: String? = nil,
        clientOrderId: String? = nil
    ) async throws(BinanceAPIError) -> BinanceOrderFill {
        var parameters = [("symbol", symbol), ("side", side.rawValue), ("type", "MARKET")]
        if let quantity { parameters.append(("quantity", quantity)) }
        if let quoteQuantity { parameters.append(("quoteOrderQty", quoteQuantity)) }
        if let clientOrderId { parameters.append(("newClientOrderId", clientOrderId)) }
        parameters.append(("newOrderRespType", "FULL"))
        let body = signer.signedQuery(parameters, timestamp: timestamp(), recvWindow: recvWindow)
        var headers = headers()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return try await call(
            HTTPRequest(
                url: baseURL + "/api/v3/order", headers: headers, weight: 1, rateLimit: .binance, method: "POST",
                body: Array(body.utf8)),
            endpoint: "POST /api/v3/order")
    }

    private func timestamp() -> Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }

    private func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers[BinanceSigner.apiKeyHeader] = signer.apiKey
        return headers
    }

    private func call<Body: Decodable>(_ request: HTTPRequest, endpoint: String) async throws(BinanceAPIError) -> Body {
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            // The transport's own message names the URL, query and signature included: not repeated.
            throw BinanceAPIError(code: 0, message: "no answer (\(error.kind))", status: 0, endpoint: endpoint)
        }
        guard (200..<300).contains(response.status) else {
            if let failure = try? JSONDecoder().decode(BinanceErrorBody.self, from: Data(response.body)) {
                throw BinanceAPIError(code: failure.code, message: failure.msg, status: response.status, endpoint: endpoint)
            }
            throw BinanceAPIError(
                code: 0, message: "HTTP \(response.status) without Binance's error body", status: response.status, endpoint: endpoint)
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(response.body))
        } catch {
            throw BinanceAPIError(
                code: 0, message: "an answer that is not Binance's: \(error)", status: response.status, endpoint: endpoint)
        }
    }
}
