import ExchangeSandbox
import Foundation
import Synchronization
import Testing
import UpdraftHTTP

@Suite("HTTP client against the sandbox")
struct HTTPClientTests {
    let sandbox = SandboxServer(configuration: SandboxTestSupport.configuration())

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let client = SandboxTestSupport.client()
        let response = try await sandbox.withRunning { endpoints in
            try await client.get(endpoints.binance + "/api/v3/exchangeInfo")
        }
        #expect(response.status == 200)
        #expect(response.attempts == 1)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(Int(response.headers["x-mbx-used-weight-1m"] ?? "") ?? 0 >= 20)
        #expect(response.text.hasPrefix("{\"timezone\":\"UTC\""))
        // libcurl asked for gzip and decoded it: the wire carried gzip, the body is plain JSON.
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(Int(response.headers["Content-Length"] ?? "") ?? .max < response.body.count)
    }

    @Test func serverErrorsAreRetriedWithBackoff() async throws {
        let clock = VirtualClock()
        let client = SandboxTestSupport.client(maxAttempts: 4, clock: clock)
        sandbox.inject(.status(503), on: .klines, times: 2)
        let response = try await sandbox.withRunning { endpoints in
            try await client.get(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=3")
        }
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1)])
    }

    @Test func theObserverIsToldOfEachRetryAndRateLimitWait() async throws {
        let clock = VirtualClock()
        let events = Mutex<[HTTPClientEvent]>([])
        let client = HTTPClient(
            configuration: .init(
                retry: HTTPRetryPolicy(maxAttempts: 4), timing: clock.timing, traffic: HostTraffic(),
                observer: { event in events.withLock { $0.append(event) } }))
        sandbox.inject(.status(503), on: .klines, times: 2)
        sandbox.inject(.rateLimited(retryAfterSeconds: 7), on: .exchangeInfo, times: 1)
        let host = try await sandbox.withRunning { endpoints in
            _ = try await client.get(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=3")
            _ = try await client.get(endpoints.binance + "/api/v3/exchangeInfo")
            return try #require(URL(string: endpoints.binance)).host()
        }
        let recorded = events.withLock { $0 }
        #expect(recorded.filter { if case .retry = $0 { true } else { false } }.count == 2)
        #expect(recorded.filter { if case .rateLimitWait = $0 { true } else { false } }.count == 1)
        #expect(recorded.allSatisfy { Self.host($0).contains(host ?? "-") }, "\(recorded)")
    }

    static func host(_ event: HTTPClientEvent) -> String {
        switch event {
        case .retry(let host), .rateLimitWait(let host, _): host
        }
    }

    @Test func persistentServerErrorFailsWithTheBodysMessage() async throws {
        let client = SandboxTestSupport.client(maxAttempts: 3)
        sandbox.inject(.status(502), on: .klines, times: nil)
        let error = await #expect(throws: HTTPError.self) {
            try await sandbox.withRunning { endpoints in
                try await client.get(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m")
            }
        }
        #expect(error?.kind == .status(502))
        #expect(error?.attempts == 3)
        #expect(error?.serverError?.code == -1000)
        #expect(error?.description.contains("/api/v3/klines?symbol=BTCUSDT") == true)
    }

    @Test func clientErrorNamesBinanceCodeAndMessage() async throws {
        let client = SandboxTestSupport.client()
        let error = await #expect(throws: HTTPError.self) {
            try await sandbox.withRunning { endpoints in
                try await client.get(endpoints.binance + "/api/v3/klines?symbol=NOPEUSDT&interval=1m")
            }
        }
        #expect(error?.kind == .status(400))
        #expect(error?.attempts == 1)
        #expect(error?.serverError == ServerErrorMessage(body: Array(#"{"code":-1121,"msg":"Invalid symbol."}"#.utf8)))
        #expect(error?.description.contains("Binance error -1121: Invalid symbol.") == true)
    }

    @Test func rateLimitedRequestWaitsRetryAfterThenSucceeds() async throws {
        let clock = VirtualClock()
        let client = SandboxTestSupport.client(maxAttempts: 1, clock: clock)
        sandbox.inject(.rateLimited(retryAfterSeconds: 7), on: .klines, times: 1)
        let response = try await sandbox.withRunning { endpoints in
            try await client.get(endpoints.binance + "/api/v3/klines?symbol=ETHUSDT&interval=1m&limit=1")
        }
        #expect(response.status == 200)
        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test func rateLimitWithoutRetryAfterBacksOff() async throws {
        let clock = VirtualClock()
        let client = SandboxTestSupport.client(maxAttempts: 1, clock: clock)
        sandbox.inject(.rateLimited(retryAfterSeconds: nil), on: .coinsMarkets, times: 2)
        let response = try await sandbox.withRunning { endpoints in
            try await client.get(endpoints.coinGecko + "/coins/markets?vs_currency=usd&per_page=2")
        }
        #expect(response.status == 200)
        #expect(clock.sleeps == [.seconds(60), .seconds(60)])
    }

    @Test func banStopsEveryFurtherRequestToTheHost() async throws {
        let clock = VirtualClock()
        let client = SandboxTestSupport.client(clock: clock)
        sandbox.inject(.banned(retryAfterSeconds: 300), on: .klines, times: 1)
        sandbox.inject(.status(500), on: .exchangeInfo, times: 1)
        let (ban, refused) = try await sandbox.withRunning { endpoints in
            (
                await Self.failure { try await client.get(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m") },
                await Self.failure { try await client.get(endpoints.binance + "/api/v3/exchangeInfo") }
            )
        }
        guard let ban, let refused else {
            Issue.record("expected both requests to fail")
            return
        }
        guard case .banned(let until) = ban.kind else { Issue.record("not a ban: \(ban)"); return }
        #expect(abs(until.timeIntervalSince(clock.now) - 300) < 1)
        #expect(ban.description.contains("418"))
        #expect(ban.description.contains("300 s"))
        #expect(refused.kind == HTTPError.Kind.banned(until: until))
        #expect(refused.description.contains("not sent"))
        // The second request never reached the sandbox: its armed 500 is still there.
        #expect(sandbox.armedFaults.contains { $0.route == .exchangeInfo })
        #expect(clock.sleeps.isEmpty)
    }

    @Test func timeoutIsRetried() async throws {
        let client = SandboxTestSupport.client(maxAttempts: 3)
        sandbox.inject(.latency(milliseconds: 3_000), on: .klines, times: 1)
        let response = try await sandbox.withRunning { endpoints in
            var request = HTTPRequest(url: endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1")
            request.timeout = .milliseconds(1_500)
            return try await client.get(request)
        }
        #expect(response.status == 200)
        #expect(response.attempts == 2)
    }

    @Test func timeoutErrorNamesTheURL() async throws {
        let client = SandboxTestSupport.client(maxAttempts: 2)
        sandbox.inject(.latency(milliseconds: 1_500), on: .exchangeInfo, times: nil)
        let error = await #expect(throws: HTTPError.self) {
            try await sandbox.withRunning { endpoints in
                var request = HTTPRequest(url: endpoints.binance + "/api/v3/exchangeInfo")
                request.timeout = .milliseconds(200)
                return try await client.get(request)
            }
        }
        #expect(error?.kind == .timeout)
        #expect(error?.attempts == 2)
        #expect(error?.description.contains("/api/v3/exchangeInfo: timed out") == true)
    }

    @Test func refusedConnectionIsAConnectErrorAfterRetries() async throws {
        let clock = VirtualClock()
        let client = SandboxTestSupport.client(maxAttempts: 2, clock: clock)
        let port = try await sandbox.withRunning { $0.port }  // closed again once withRunning returns
        let error = await #expect(throws: HTTPError.self) {
            try await client.get("http://127.0.0.1:\(port)/api/v3/ping")
        }
        #expect(error?.kind == .connect)
        #expect(error?.attempts == 2)
        #expect(error?.description.contains("127.0.0.1:\(port)/api/v3/ping: connection failed") == true)
        #expect(clock.sleeps == [.milliseconds(500)])
    }

    @Test func downloadStreamsTheBodyToAFile() async throws {
        let client = SandboxTestSupport.client()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString).zip").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (memory, file) = try await sandbox.withRunning { endpoints in
            let url = endpoints.archive + "/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-02-01.zip"
            return (try await client.get(url), try await client.download(url, to: path))
        }
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(file.file == path)
        #expect(file.body.isEmpty)
        #expect(file.bodyLength == memory.body.count)
        #expect(written == memory.body)
        #expect(!FileManager.default.fileExists(atPath: path + ".part"))
    }

    @Test func concurrentRequestsShareTheHostBudget() async throws {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_700_000_040))
        let client = SandboxTestSupport.client(clock: clock)
        let statuses = try await sandbox.withRunning { endpoints in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let request = HTTPRequest(
                            url: endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1",
                            weight: 2, rateLimit: RateLimit(capacity: 8))
                        return try await client.get(request).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses == Array(repeating: 200, count: 12))
        // Only 4 requests fit a window: the other 8 had to wait for later windows.
        #expect(clock.sleeps.count >= 2)
        #expect(clock.now.timeIntervalSince1970 >= 1_700_000_040 + 120)
    }

    @Test func keptAliveConnectionsAreReused() async throws {
        let client = SandboxTestSupport.client()
        let opened = try await sandbox.withRunning { endpoints in
            var opened: [Int] = []
            for _ in 0..<3 {
                opened.append(
                    try await client.get(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1").connectionsOpened)
            }
            return opened
        }
        #expect(opened == [1, 0, 0])
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let client = SandboxTestSupport.client()
        sandbox.inject(.latency(milliseconds: 5_000), on: .exchangeInfo, times: 1)
        let error = try await sandbox.withRunning { endpoints in
            let task = Task { try await client.get(endpoints.binance + "/api/v3/exchangeInfo") }
            // Cancelled once the request is at the server (its one-time delay has been taken), from
            // a thread of its own: a busy cooperative pool must not delay the cancel past the delay.
            let sandbox = self.sandbox
            Thread.detachNewThread {
                while !sandbox.armedFaults.isEmpty { usleep(2_000) }
                task.cancel()
            }
            return await Self.failure { try await task.value }
        }
        // Not aborted, the transfer would have completed with a 200 after the server's 5 s delay.
        #expect(error?.kind == .cancelled)
        #expect(error?.attempts == 1)
    }

    @Test func droppedConnectionIsRetried() async throws {
        let client = SandboxTestSupport.client()
        sandbox.inject(.droppedConnection(afterBytes: 100), on: .exchangeInfo, times: 1)
        let response = try await sandbox.withRunning { endpoints in
            var request = HTTPRequest(url: endpoints.binance + "/api/v3/exchangeInfo")
            request.timeout = .seconds(20)
            return try await client.get(request)
        }
        #expect(response.attempts == 2)
        #expect(response.text.hasSuffix("}"))
    }

    @Test func droppedConnectionErrorSaysSo() async throws {
        let client = SandboxTestSupport.client(maxAttempts: 2)
        sandbox.inject(.droppedConnection(afterBytes: 100), on: .exchangeInfo, times: nil)
        let error = await #expect(throws: HTTPError.self) {
            try await sandbox.withRunning { endpoints in
                var request = HTTPRequest(url: endpoints.binance + "/api/v3/exchangeInfo")
                request.timeout = .seconds(20)
                return try await client.get(request)
            }
        }
        #expect(error?.kind == .transport(code: 18))
        #expect(error?.attempts == 2)
        #expect(error?.description.contains("/api/v3/exchangeInfo: transfer failed (curl 18") == true)
    }

    @Test func invalidURLIsRejectedBeforeSending() async throws {
        let client = SandboxTestSupport.client()
        let error = await #expect(throws: HTTPError.self) { try await client.get("not a url") }
        #expect(error?.kind == .invalidURL)
    }

    /// The HTTPError `body` throws, or nil when it succeeds.
    static func failure(_ body: () async throws -> HTTPResponse) async -> HTTPError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? HTTPError
        }
    }
}
