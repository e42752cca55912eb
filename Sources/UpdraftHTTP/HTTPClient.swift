import CCurl
import Foundation

/// An async HTTP GET client over libcurl with retries, backoff, `Retry-After` handling, 418 bans and
/// per-host rate limits shared by every request of the process.
///
/// ```swift
/// let client = HTTPClient()
/// var request = HTTPRequest(url: "https://api.binance.com/api/v3/exchangeInfo", weight: 20, rateLimit: .binance)
/// let response = try await client.get(request)
/// print(response.status, response.headers["X-MBX-USED-WEIGHT-1M"] ?? "-")
/// ```
///
/// Blocking transfers run on dedicated threads, never on Swift's cooperative pool. Idle libcurl
/// handles are pooled so keep-alive connections are reused.
public final class HTTPClient: Sendable {
    /// How the client retries, waits and shares host state.
    public struct Configuration: Sendable {
        /// Retry and backoff rules.
        public var retry: HTTPRetryPolicy
        /// The clock and sleep used for every wait (virtual in tests).
        public var timing: HTTPTiming
        /// Host limits, pauses and bans; `HostTraffic.processWide` unless a test isolates itself.
        public var traffic: HostTraffic
        /// Idle easy handles kept for connection reuse.
        public var maxIdleHandles: Int
        /// Told of each retry and each wait for a rate limit (to count them); nil: nobody.
        public var observer: (@Sendable (HTTPClientEvent) -> Void)?

        /// A configuration; every argument has a production default.
        public init(
            retry: HTTPRetryPolicy = HTTPRetryPolicy(), timing: HTTPTiming = .live,
            traffic: HostTraffic = .processWide, maxIdleHandles: Int = 8,
            observer: (@Sendable (HTTPClientEvent) -> Void)? = nil
        ) {
            self.retry = retry
            self.timing = timing
            self.traffic = traffic
            self.maxIdleHandles = maxIdleHandles
            self.observer = observer
        }
    }

    /// The configuration this client was made with.
    public let configuration: Configuration
    private let pool: CurlHandlePool

    /// A client with the given configuration.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.pool = CurlHandlePool(maxIdle: configuration.maxIdleHandles)
    }

    /// GETs `url` into memory.
    public func get(_ url: String, headers: HTTPHeaders = [:]) async throws(HTTPError) -> HTTPResponse {
        try await get(HTTPRequest(url: url, headers: headers))
    }

    /// Streams the body of `url` to the file at `path` (replaced atomically on success).
    public func download(
        _ url: String, to path: String, headers: HTTPHeaders = [:],
        timeout: Duration = .seconds(600)
    ) async throws(HTTPError) -> HTTPResponse {
        try await get(HTTPRequest(url: url, headers: headers, timeout: timeout, destination: path))
    }

    /// Performs `request` once, whatever its method, and returns the response whatever its status
    /// (an exchange's error body is the caller's to read). Never retried: an order placed twice is
    /// two orders. The host's rate limit, pauses and bans apply as to `get`; transport failures throw.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        guard let host = HostTraffic.hostKey(for: request.url) else {
            throw HTTPError(kind: .invalidURL, url: request.url, message: "not an absolute http(s) URL")
        }
        try await admit(request, host: host, attempts: 0)
        let outcome = await CurlTransfer.run(request, partialFile: nil, pool: pool)
        if outcome.code != Int(CURLE_OK.rawValue) { throw transportError(outcome, url: request.url, attempts: 1) }
        let now = configuration.timing.now()
        if let header = request.rateLimit?.usedWeightHeader, let used = outcome.headers[header].flatMap(Int.init) {
            await configuration.traffic.observe(host: host, usedWeight: used, now: now)
        }
        if outcome.status == 429 {
            await configuration.traffic.pause(
                host: host, until: now.addingTimeInterval(rateLimitWait(outcome.headers, now: now).timeInterval))
        }
        return HTTPResponse(
            url: request.url, status: outcome.status, headers: outcome.headers, body: outcome.body, file: nil,
            bodyLength: outcome.body.count, attempts: 1, connectionsOpened: outcome.connectionsOpened)
    }

    /// Performs `request`, retrying as the policy says; returns only 2xx responses.
    public func get(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        guard let host = HostTraffic.hostKey(for: request.url) else {
            throw HTTPError(kind: .invalidURL, url: request.url, message: "not an absolute http(s) URL")
        }
        let policy = configuration.retry
        var attempts = 0
        var rateLimitWaits = 0
        while true {
            try await admit(request, host: host, attempts: attempts)
            attempts += 1
            let partial = request.destination.map { $0 + ".part" }
            let outcome = await CurlTransfer.run(request, partialFile: partial, pool: pool)
            let now = configuration.timing.now()
            if outcome.code != Int(CURLE_OK.rawValue) {
                if let partial { unlink(partial) }
                let error = transportError(outcome, url: request.url, attempts: attempts)
                guard Self.isRetryable(error.kind), attempts < policy.maxAttempts else { throw error }
                configuration.observer?(.retry(host: host))
                try await sleep(policy.delay(beforeRetry: attempts), url: request.url, attempts: attempts)
                continue
            }
            if let header = request.rateLimit?.usedWeightHeader, let used = outcome.headers[header].flatMap(Int.init) {
                await configuration.traffic.observe(host: host, usedWeight: used, now: now)
            }
            switch outcome.status {
            case 200..<300:
                return try finish(outcome, request: request, partial: partial, attempts: attempts)
            case 429:
                if let partial { unlink(partial) }
                rateLimitWaits += 1
                attempts -= 1
                let wait = rateLimitWait(outcome.headers, now: now)
                guard rateLimitWaits <= policy.maxRateLimitWaits else {
                    throw statusError(
                        outcome, kind: .rateLimited, url: request.url, attempts: attempts + 1,
                        prefix: "HTTP 429 rate limited \(rateLimitWaits) times in a row")
                }
                await configuration.traffic.pause(host: host, until: now.addingTimeInterval(wait.timeInterval))
            case 418:
                if let partial { unlink(partial) }
                let ban = Self.retryAfter(outcome.headers) ?? policy.defaultBanDuration
                let until = now.addingTimeInterval(ban.timeInterval)
                await configuration.traffic.ban(host: host, until: until)
                throw statusError(
                    outcome, kind: .banned(until: until), url: request.url, attempts: attempts,
                    prefix:
                        "HTTP 418: \(host) banned this address for \(Self.seconds(ban)) s, until \(Self.iso(until)); no requests go to it until then"
                )
            case 500..<600 where attempts < policy.maxAttempts:
                if let partial { unlink(partial) }
                configuration.observer?(.retry(host: host))
                try await sleep(policy.delay(beforeRetry: attempts), url: request.url, attempts: attempts)
            default:
                if let partial { unlink(partial) }
                throw statusError(
                    outcome, kind: .status(outcome.status), url: request.url, attempts: attempts,
                    prefix: "HTTP \(outcome.status)")
            }
        }
    }

    // MARK: Steps

    /// Waits until the host's window, pause and ban allow the request.
    private func admit(_ request: HTTPRequest, host: String, attempts: Int) async throws(HTTPError) {
        while true {
            let now = configuration.timing.now()
            switch await configuration.traffic.decide(host: host, weight: request.weight, limit: request.rateLimit, now: now) {
            case .proceed:
                return
            case .wait(let duration):
                configuration.observer?(.rateLimitWait(host: host, duration: duration))
                try await sleep(duration, url: request.url, attempts: attempts)
            case .banned(let until):
                throw HTTPError(
                    kind: .banned(until: until), url: request.url,
                    message:
                        "not sent: \(host) banned this address (HTTP 418) until \(Self.iso(until)), \(Self.seconds(.interval(until.timeIntervalSince(now)))) s from now",
                    attempts: max(1, attempts))
            }
        }
    }

    private func sleep(_ duration: Duration, url: String, attempts: Int) async throws(HTTPError) {
        do {
            try await configuration.timing.sleep(duration)
        } catch {
            throw HTTPError(kind: .cancelled, url: url, message: "cancelled while waiting to retry", attempts: max(1, attempts))
        }
    }

    private func finish(
        _ outcome: CurlOutcome, request: HTTPRequest, partial: String?,
        attempts: Int
    ) throws(HTTPError) -> HTTPResponse {
        var response = HTTPResponse(
            url: request.url, status: outcome.status, headers: outcome.headers,
            body: outcome.body, file: nil, bodyLength: outcome.body.count, attempts: attempts,
            connectionsOpened: outcome.connectionsOpened)
        if let destination = request.destination, let partial {
            guard rename(partial, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(partial)
                throw HTTPError(
                    kind: .file, url: request.url, message: "cannot move \(partial) to \(destination): \(reason)",
                    attempts: attempts)
            }
            response.file = destination
            response.bodyLength = outcome.fileBytes
        }
        return response
    }

    /// The wait after a 429: `Retry-After`, else CoinGecko's `x-ratelimit-reset`, else the fallback
    /// (a per-minute budget is whole again a minute later, so the fallback does not grow).
    private func rateLimitWait(_ headers: HTTPHeaders, now: Date) -> Duration {
        if let retryAfter = Self.retryAfter(headers) { return retryAfter }
        if let reset = headers["x-ratelimit-reset"].flatMap(Self.parseResetDate), reset > now {
            return .interval(reset.timeIntervalSince(now))
        }
        return configuration.retry.rateLimitFallbackDelay
    }

    // MARK: Errors

    private func transportError(_ outcome: CurlOutcome, url: String, attempts: Int) -> HTTPError {
        let code = CURLcode(rawValue: UInt32(outcome.code))
        let kind: HTTPError.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .dns
        case CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR: kind = .connect
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_ABORTED_BY_CALLBACK: kind = .cancelled
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidURL
        case CURLE_WRITE_ERROR where outcome.fileFailed: kind = .file
        default: kind = .transport(code: outcome.code)
        }
        let label: String
        switch kind {
        case .dns: label = "DNS lookup failed"
        case .connect: label = "connection failed"
        case .timeout: label = "timed out"
        case .cancelled: label = "cancelled"
        case .invalidURL: label = "invalid URL"
        case .file: label = "cannot write the body to disk"
        default: label = "transfer failed"
        }
        return HTTPError(
            kind: kind, url: url, message: "\(label) (curl \(outcome.code): \(outcome.errorText))",
            attempts: attempts)
    }

    private func statusError(
        _ outcome: CurlOutcome, kind: HTTPError.Kind, url: String, attempts: Int,
        prefix: String
    ) -> HTTPError {
        let summary = ServerErrorMessage.summary(of: outcome.body).map { ": \($0)" } ?? ""
        return HTTPError(
            kind: kind, url: url, message: prefix + summary, body: outcome.body,
            serverError: ServerErrorMessage(body: outcome.body), attempts: attempts)
    }

    static func isRetryable(_ kind: HTTPError.Kind) -> Bool {
        switch kind {
        case .connect, .timeout: true
        case .transport(let code):
            [
                CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2,
                CURLE_HTTP2_STREAM,
            ].map { Int($0.rawValue) }.contains(code)
        default: false
        }
    }

    // MARK: Header values

    /// `Retry-After` as delay-seconds (the form Binance sends) or an HTTP date.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .interval(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .interval(date.timeIntervalSinceNow)
    }

    /// CoinGecko's `x-ratelimit-reset: 2025-07-25 14:54:00 +0000`.
    static func parseResetDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter.date(from: value)
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    static func seconds(_ duration: Duration) -> Int {
        Int(duration.timeInterval.rounded(.up))
    }
}

/// Something an ``HTTPClient`` did that its owner may count (``HTTPClient/Configuration/observer``).
public enum HTTPClientEvent: Sendable, Equatable {
    /// A request is sent again after a transport error or a 5xx answer.
    case retry(host: String)
    /// A request waits for the host's rate-limit window, or for a pause a 429 ordered.
    case rateLimitWait(host: String, duration: Duration)
}
