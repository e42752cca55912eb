import Foundation

/// The error an API put in its response body, read from either known shape:
/// Binance `{"code":-1121,"msg":"Invalid symbol."}` or CoinGecko
/// `{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit…"}}`
/// (also CoinGecko's `{"error":"…"}`).
public struct ServerErrorMessage: Sendable, Hashable, CustomStringConvertible {
    /// Which API shape the body had.
    public enum Source: String, Sendable, Hashable {
        case binance, coinGecko
    }

    /// Which API shape the body had.
    public var source: Source
    /// The API's error code (`-1121`, `429`…), when given.
    public var code: Int?
    /// The API's message text.
    public var message: String

    /// Parses an error body; `nil` when it is not one of the known JSON shapes.
    public init?(body: [UInt8]) {
        guard body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return nil }
        if let message = object["msg"] as? String {
            self.source = .binance
            self.code = (object["code"] as? NSNumber)?.intValue
            self.message = message
        } else if let status = object["status"] as? [String: Any],
            let message = status["error_message"] as? String
        {
            self.source = .coinGecko
            self.code = (status["error_code"] as? NSNumber)?.intValue
            self.message = message
        } else if let message = object["error"] as? String {
            self.source = .coinGecko
            self.code = nil
            self.message = message
        } else {
            return nil
        }
    }

    public var description: String {
        let name = source == .binance ? "Binance" : "CoinGecko"
        return code.map { "\(name) error \($0): \(message)" } ?? "\(name) error: \(message)"
    }

    /// A one-line summary of any error body: the parsed message, else the start of the text.
    static func summary(of body: [UInt8]) -> String? {
        if let parsed = ServerErrorMessage(body: body) { return parsed.description }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text + (body.count > 200 ? "…" : "")
    }
}
