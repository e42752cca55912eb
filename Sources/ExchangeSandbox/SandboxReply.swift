import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// A response the sandbox is about to send, before faults are applied to it.
struct SandboxReply: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var headers: [(String, String)]
    var body: [UInt8]

    init(status: HTTPResponse.Status = .ok, contentType: String, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: [(String, String)] = []) -> SandboxReply {
        SandboxReply(status: status, contentType: "application/json;charset=UTF-8", headers: headers, body: Array(text.utf8))
    }

    static func xml(_ text: String, status: HTTPResponse.Status = .ok) -> SandboxReply {
        SandboxReply(status: status, contentType: "application/xml", body: Array(text.utf8))
    }

    /// Binance's error JSON, `{"code":-1121,"msg":"Invalid symbol."}`.
    static func binanceError(
        _ code: Int, _ message: String, status: HTTPResponse.Status = .badRequest,
        headers: [(String, String)] = []
    ) -> SandboxReply {
        json("{\"code\":\(code),\"msg\":\(jsonString(message))}", status: status, headers: headers)
    }

    /// CoinGecko's error JSON, `{"status":{"error_code":429,"error_message":"…"}}`.
    static func coinGeckoError(_ code: Int, _ message: String) -> SandboxReply {
        json(
            "{\"status\":{\"error_code\":\(code),\"error_message\":\(jsonString(message))}}",
            status: HTTPResponse.Status(code: code))
    }

    /// S3's `NoSuchKey` error document, as data.binance.vision answers for a missing file.
    static func noSuchKey(_ key: String) -> SandboxReply {
        xml(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>\(xmlEscaped(key))</Key></Error>
            """, status: .notFound)
    }

    /// The HTTP response; JSON and XML bodies over 1 KiB are gzipped when the request accepts gzip.
    func response(acceptsGzip: Bool = false) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        var payload = body
        let textual = contentType.hasPrefix("application/json") || contentType.hasPrefix("application/xml")
        if acceptsGzip, textual, body.count > 1_024, let compressed = GzipEncoder.encode(body) {
            payload = compressed
            fields[.contentEncoding] = "gzip"
            fields[.vary] = "Accept-Encoding"
        }
        fields[.contentLength] = String(payload.count)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: payload)))
    }
}

/// A JSON string literal for `text`.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

/// `text` with XML's five special characters escaped.
func xmlEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}

/// A JSON number for a double: integers without a fraction when whole (`77671`), else the shortest
/// round-tripping text; `null` for non-finite values.
func jsonNumber(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
