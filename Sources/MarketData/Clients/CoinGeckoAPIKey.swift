/// A CoinGecko API key and the plan it belongs to; its description never shows the key.
public enum CoinGeckoAPIKey: Sendable, Hashable, CustomStringConvertible {
    /// A free demo key, sent as `x-cg-demo-api-key` to `api.coingecko.com`.
    case demo(String)
    /// A paid key, sent as `x-cg-pro-api-key` to `pro-api.coingecko.com`.
    case pro(String)

    /// The request header carrying the key.
    public var headerName: String {
        switch self {
        case .demo: "x-cg-demo-api-key"
        case .pro: "x-cg-pro-api-key"
        }
    }

    var value: String {
        switch self {
        case .demo(let key), .pro(let key): key
        }
    }

    /// `demo key (redacted)` or `pro key (redacted)`.
    public var description: String {
        switch self {
        case .demo: "demo key (redacted)"
        case .pro: "pro key (redacted)"
        }
    }
}
