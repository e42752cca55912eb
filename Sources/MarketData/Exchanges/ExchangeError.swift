/// An exchange refused a request or answered with an error in its own shape: names the exchange,
/// the URL, the exchange's code and message.
///
/// Its description reads like `KuCoin error 400100 for http://127.0.0.1:8080/api/v1/market/candles?…:
/// This pair is not provided at present`.
public struct ExchangeError: Error, Sendable, CustomStringConvertible {
    /// The exchange that answered.
    public var exchange: ExchangeID
    /// The request's URL.
    public var url: String
    /// The exchange's error code (`-1121`, `EQuery:Unknown asset pair`, `400100`, `21711`…), when given.
    public var code: String?
    /// The exchange's message, or what was wrong with the answer.
    public var message: String
    /// The HTTP status, when the error came with one.
    public var status: Int?
    /// Whether the exchange said the caller is over its rate limit.
    public var isRateLimited: Bool

    /// An error from its parts.
    public init(exchange: ExchangeID, url: String, code: String?, message: String, status: Int? = nil, isRateLimited: Bool = false) {
        self.exchange = exchange
        self.url = url
        self.code = code
        self.message = message
        self.status = status
        self.isRateLimited = isRateLimited
    }

    public var description: String {
        let codeText = code.map { " \($0)" } ?? ""
        let statusText = status.map { " (HTTP \($0))" } ?? ""
        return "\(exchange.displayName) error\(codeText)\(statusText) for \(url): \(message)"
    }
}
