/// A completed response with a 2xx status.
public struct HTTPResponse: Sendable {
    /// The URL that was requested.
    public var url: String
    /// The final HTTP status (after redirects).
    public var status: Int
    /// The final response's headers.
    public var headers: HTTPHeaders
    /// The body, decoded from gzip or deflate; empty when it was streamed to `file`.
    public var body: [UInt8]
    /// The file the body was streamed to, for requests with a `destination`.
    public var file: String?
    /// Bytes of body received (in memory or on disk).
    public var bodyLength: Int
    /// How many attempts it took (1 when the first succeeded).
    public var attempts: Int
    /// New connections the last attempt opened (0 when it reused a kept-alive one).
    public var connectionsOpened: Int = 0

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
