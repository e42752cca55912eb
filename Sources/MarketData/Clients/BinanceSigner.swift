import Crypto
import Foundation

/// Signs Binance spot `SIGNED` requests (`TRADE`, `USER_DATA`): the payload is the request's
/// parameters, percent-encoded, in the order sent; the signature is HMAC-SHA256 of that payload
/// under the secret key (swift-crypto), as lowercase hex, sent as the last parameter `signature`;
/// the API key goes in the `X-MBX-APIKEY` header. The worked examples of Binance's "Request
/// security" page are reproduced by its tests.
///
/// ```swift
/// let signer = BinanceSigner(apiKey: key, secretKey: secret)
/// let query = signer.signedQuery([("symbol", "BTCUSDT"), ("side", "BUY")], timestamp: now, recvWindow: 5_000)
/// // "symbol=BTCUSDT&side=BUY&recvWindow=5000&timestamp=…&signature=…"
/// ```
public struct BinanceSigner: Sendable {
    /// Sent in `X-MBX-APIKEY`; a secret like the key (never logged, never in an error).
    public let apiKey: String
    private let key: SymmetricKey

    public init(apiKey: String, secretKey: String) {
        self.apiKey = apiKey
        self.key = SymmetricKey(data: Array(secretKey.utf8))
    }

    /// The header that carries the API key.
    public static let apiKeyHeader = "X-MBX-APIKEY"

    /// `name=value&…` with names and values percent-encoded (RFC 3986 unreserved characters kept;
    /// UTF-8 bytes as `%XX`, upper-case), in the given order.
    public static func payload(_ parameters: [(String, String)]) -> String {
        parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// The lowercase hex HMAC-SHA256 of `payload`.
    public func signature(of payload: String) -> String {
        ArchiveChecksum.lowercaseHex(HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: key))
    }

    /// `parameters`, then `recvWindow` and `timestamp` (ms), then `signature`, as one query.
    public func signedQuery(_ parameters: [(String, String)], timestamp: Int64, recvWindow: Int = 5_000) -> String {
        let payload = Self.payload(parameters + [("recvWindow", String(recvWindow)), ("timestamp", String(timestamp))])
        return payload + "&signature=" + signature(of: payload)
    }

    /// Whether `signature` signs `payload` (the sandbox's check; compared in constant time).
    public func verifies(_ signature: String, payload: String) -> Bool {
        let expected = Array(self.signature(of: payload).utf8)
        let sent = Array(signature.lowercased().utf8)
        guard expected.count == sent.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ sent[index] }
        return difference == 0
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
