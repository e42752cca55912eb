import Foundation

/// A failed request: the URL, what went wrong, and the server's own words when it gave any.
///
/// Its description reads like `GET http://127.0.0.1:8080/api/v3/klines?symbol=NOPE…: HTTP 400:
/// Binance error -1121: Invalid symbol.`
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Kind: Sendable, Hashable {
        /// The URL could not be parsed or uses an unsupported scheme.
        case invalidURL
        /// The host name did not resolve.
        case dns
        /// The TCP or TLS connection failed (refused, reset, unreachable).
        case connect
        /// The connect or total timeout passed.
        case timeout
        /// The connection broke mid-transfer or another libcurl error occurred (`CURLcode`).
        case transport(code: Int)
        /// The server answered with a non-2xx status (after any retries).
        case status(Int)
        /// Still rate limited (429) after the allowed number of waits.
        case rateLimited
        /// The host banned this address (HTTP 418) until the given time; nothing is sent to it until then.
        case banned(until: Date)
        /// The body could not be written to the destination file.
        case file
        /// The awaiting task was cancelled.
        case cancelled
    }

    /// What kind of failure it was.
    public var kind: Kind
    /// The request's URL.
    public var url: String
    /// A human sentence on what happened (libcurl's message, the server's error message…).
    public var message: String
    /// The error body the server sent, if any.
    public var body: [UInt8]
    /// The server's structured error (Binance or CoinGecko JSON), when the body held one.
    public var serverError: ServerErrorMessage?
    /// Attempts made before giving up.
    public var attempts: Int

    /// An error of `kind` for `url`.
    public init(
        kind: Kind, url: String, message: String, body: [UInt8] = [],
        serverError: ServerErrorMessage? = nil, attempts: Int = 1
    ) {
        self.kind = kind
        self.url = url
        self.message = message
        self.body = body
        self.serverError = serverError
        self.attempts = attempts
    }

    /// The HTTP status, for `.status` errors (and 429/418 failures).
    public var status: Int? {
        switch kind {
        case .status(let code): code
        case .rateLimited: 429
        case .banned: 418
        default: nil
        }
    }

    public var description: String {
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        return "GET \(url): \(message)\(tries)"
    }
}
