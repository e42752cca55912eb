import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

@Suite("Exchange sandbox wire formats")
struct SandboxServerTests {
    /// No retries and no waiting out 429s: each request shows the sandbox's own answer.
    let http = HTTPClient(
        configuration: .init(
            retry: HTTPRetryPolicy(maxAttempts: 1, maxRateLimitWaits: 0),
            timing: VirtualClock().timing, traffic: HostTraffic()))

    func get(_ url: String) async throws -> HTTPResponse { try await http.get(url) }

    /// The status and body of a request expected to fail.
    func failure(_ url: String) async -> HTTPError? {
        do { _ = try await http.get(url); return nil } catch { return error }
    }

    @Test func sameSeedServesTheSameBytesAndAnotherSeedDoesNot() async throws {
        let path = "/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-02-10.zip"
        func fetch(seed: UInt64) async throws -> [UInt8] {
            try await SandboxServer(configuration: SandboxTestSupport.configuration(seed: seed)).withRunning { endpoints in
                try await get(endpoints.archive + path).body
            }
        }
        let (a, b, c) = (try await fetch(seed: 1), try await fetch(seed: 1), try await fetch(seed: 2))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func archiveFilesHaveBinancesShape() async throws {
        let server = SandboxServer(
            configuration: SandboxTestSupport.configuration(
                now: "2025-01-05T00:00:00Z",
                historyStart: "2024-12-01T00:00:00Z"))
        let (zip, checksum, microZip) = try await server.withRunning { endpoints in
            let base = endpoints.archive + "/data/spot/daily/klines/BTCUSDT/1m/"
            return (
                try await get(base + "BTCUSDT-1m-2024-12-31.zip").body,
                try await get(base + "BTCUSDT-1m-2024-12-31.zip.CHECKSUM").body,
                try await get(base + "BTCUSDT-1m-2025-01-01.zip").body
            )
        }
        // CHECKSUM: "<sha256>  <name>", no trailing newline, 64 + 2 + name bytes.
        #expect(checksum.count == 64 + 2 + "BTCUSDT-1m-2024-12-31.zip".count)
        #expect(checksum.last != UInt8(ascii: "\n"))
        try ArchiveChecksum.verify(zip: zip, checksumFile: checksum, name: "BTCUSDT-1m-2024-12-31.zip")
        // One deflated CSV named like the zip; no header; ms before 2025, µs from 2025.
        let entries = try ZipArchive.entries(of: zip, source: "ms.zip")
        #expect(entries.map(\.name) == ["BTCUSDT-1m-2024-12-31.csv"])
        #expect(entries.first?.method == 8)
        let csv = String(decoding: try ZipArchive.extract(entries[0], from: zip), as: UTF8.self)
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 1_440 && csv.hasSuffix("\n"))
        let fields = rows[0].split(separator: ",")
        #expect(fields.count == 12 && fields[0] == "1735603200000" && fields[6] == "1735603259999" && fields[11] == "0")
        #expect(fields[1].split(separator: ".").last?.count == 8)
        let micro = try ZipArchive.entries(of: microZip, source: "us.zip")
        let microRow = String(decoding: try ZipArchive.extract(micro[0], from: microZip), as: UTF8.self).prefix { $0 != "\n" }
        #expect(microRow.hasPrefix("1735689600000000,"))
        #expect(microRow.split(separator: ",")[6] == "1735689659999999")
        // The last close of 2024-12-31 is the first open of 2025-01-01.
        #expect(rows.last?.split(separator: ",")[4] == microRow.split(separator: ",")[1])
    }

    @Test func listingFollowsS3Paging() async throws {
        let server = SandboxServer(configuration: SandboxTestSupport.configuration())
        let prefix = "data/spot/monthly/klines/ETHUSDT/1m/"
        let (first, second, folders, missing) = try await server.withRunning { endpoints in
            (
                try await get(endpoints.listing + "?prefix=\(prefix)&delimiter=/&max-keys=3").text,
                try await get(endpoints.listing + "?prefix=\(prefix)&delimiter=/&max-keys=3&marker=\(prefix)ETHUSDT-1m-2024-02.zip").text,
                try await get(endpoints.listing + "?prefix=data/spot/monthly/klines/ET&delimiter=/").text,
                try await get(endpoints.listing + "?prefix=data/spot/monthly/klines/NOSUCH/&delimiter=/").text
            )
        }
        #expect(
            first.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"))
        #expect(first.contains("<IsTruncated>true</IsTruncated>"))
        #expect(first.contains("<NextMarker>\(prefix)ETHUSDT-1m-2024-02.zip</NextMarker>"))
        #expect(first.contains("<Key>\(prefix)ETHUSDT-1m-2024-01.zip.CHECKSUM</Key>"))
        #expect(first.contains("<ETag>&quot;"))
        #expect(second.contains("<Key>\(prefix)ETHUSDT-1m-2024-02.zip.CHECKSUM</Key>"))
        #expect(second.contains("<IsTruncated>false</IsTruncated>") && !second.contains("NextMarker"))
        #expect(folders.contains("<CommonPrefixes><Prefix>data/spot/monthly/klines/ETHUSDT/</Prefix></CommonPrefixes>"))
        #expect(!folders.contains("<Contents>"))
        #expect(missing.contains("<IsTruncated>false</IsTruncated>") && !missing.contains("<Contents>"))
    }

    @Test func binanceParameterErrorsUseBinanceCodes() async throws {
        let server = SandboxServer(configuration: SandboxTestSupport.configuration())
        let errors = try await server.withRunning { endpoints in
            [
                await failure(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1001"),
                await failure(endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=7m"),
                await failure(endpoints.binance + "/api/v3/klines?interval=1m"),
                await failure(endpoints.archive + "/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2030-01-01.zip"),
            ]
        }
        #expect(errors.map { $0?.serverError?.code } == [-1130, -1120, -1102, nil])
        #expect(errors.map { $0?.status } == [400, 400, 400, 404])
        #expect(errors[3]?.description.contains("NoSuchKey") == true)
    }

    @Test func weightLimitAnswers429ThenBans() async throws {
        // Both clocks are pinned: the sandbox counts weight in the minute of 2023-11-14 22:13:30
        // UTC however long the requests take, and the client's clock says when the ban ends.
        let pinned = Date(timeIntervalSince1970: 1_700_000_010)
        var configuration = SandboxTestSupport.configuration()
        configuration.binanceWeightLimit = 5
        configuration.binanceBanAfterViolations = 2
        configuration.weightClock = { pinned }
        let server = SandboxServer(configuration: configuration)
        let clock = VirtualClock(start: pinned)
        let http = HTTPClient(
            configuration: .init(
                retry: HTTPRetryPolicy(maxAttempts: 1, maxRateLimitWaits: 0),
                timing: clock.timing, traffic: HostTraffic()))
        @Sendable func failure(_ url: String) async -> HTTPError? {
            do { _ = try await http.get(url); return nil } catch { return error }
        }
        let url = "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1"
        let (used, limited, banned) = try await server.withRunning { endpoints in
            var used: [String] = []
            for _ in 0..<2 { used.append(try await http.get(endpoints.binance + url).headers["X-MBX-USED-WEIGHT-1M"] ?? "") }
            var limited: [HTTPError] = []
            for _ in 0..<2 { if let error = await failure(endpoints.binance + url) { limited.append(error) } }
            return (used, limited, await failure(endpoints.binance + url))
        }
        #expect(used == ["2", "4"])
        #expect(limited.count == 2 && limited.allSatisfy { $0.kind == .rateLimited })
        #expect(limited.first?.serverError?.code == -1003)
        guard case .banned(let until)? = banned?.kind else { Issue.record("no ban: \(String(describing: banned))"); return }
        // Retry-After: 120 (the configured ban) counted from the client's clock, which did not move.
        #expect(clock.sleeps.isEmpty)
        #expect(until == pinned.addingTimeInterval(120))
        #expect(banned?.serverError?.message.contains("IP banned until \(Int64(pinned.timeIntervalSince1970 + 120) * 1000)") == true)
    }

    @Test func answersWhileEveryCooperativeThreadIsBlocked() async throws {
        // As many tasks as the cooperative pool has threads each hold theirs until the sandbox
        // answers them: a sandbox whose handlers ran on that pool could never answer, and curl
        // would give up after 10 s with nothing.
        let server = SandboxServer(configuration: SandboxTestSupport.configuration())
        let width = ProcessInfo.processInfo.activeProcessorCount
        let bodies = try await server.withRunning { endpoints in
            let url = endpoints.binance + "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1"
            return await withTaskGroup(of: String.self) { group in
                for _ in 0..<width { group.addTask { Self.blockingGet(url) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(bodies.count == width)
        #expect(bodies.allSatisfy { $0.hasPrefix("[[") }, "\(bodies)")
    }

    /// GETs `url` with /usr/bin/curl, holding the calling thread until curl exits (10 s at most).
    static func blockingGet(_ url: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "10", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return "cannot run curl: \(error)" }
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test func faultsCanBeSetOverHTTP() async throws {
        let server = SandboxServer(configuration: SandboxTestSupport.configuration())
        let (armed, error, afterwards) = try await server.withRunning { endpoints in
            let rule = #"{"route":"exchangeInfo","fault":{"status":{"_0":500}},"matching":"","times":1}"#
            let armed = try await postFaults(endpoints.faults, rule)
            let error = await failure(endpoints.binance + "/api/v3/exchangeInfo")
            return (armed, error, try await get(endpoints.faults).text)
        }
        #expect(armed.contains("exchangeInfo"))
        #expect(error?.kind == .status(500))
        #expect(afterwards == "[]")  // the one-shot rule was used up
        #expect(server.armedFaults.isEmpty)
    }

    @Test func syntheticMarketIsRealistic() async throws {
        let server = SandboxServer(configuration: SandboxTestSupport.configuration(now: "2024-04-01T00:00:00Z"))
        #expect(server.coins.count >= 20)
        #expect(server.coins.contains { $0.isStablecoin && $0.usdtPair == .trading })
        #expect(server.coins.contains { $0.usdtPair == .none && !$0.isStablecoin })
        let (btc, shib, usdc) = try await server.withRunning { endpoints in
            let rest = BinanceRESTClient(
                configuration: .init(
                    baseURL: endpoints.binance,
                    now: { SandboxTestSupport.date("2024-04-01T00:00:00Z") }), http: http)
            let start = SandboxTestSupport.date("2024-01-01T00:00:00Z"), end = SandboxTestSupport.date("2024-03-31T00:00:00Z")
            return (
                try await rest.historical(symbol: "BTCUSDT", start: start, end: end, interval: .oneMinute),
                try await rest.historical(symbol: "SHIBUSDT", start: start, end: start.addingTimeInterval(86_400), interval: .oneMinute),
                try await rest.historical(symbol: "USDCUSDT", start: start, end: start.addingTimeInterval(86_400), interval: .oneMinute)
            )
        }
        // Prices span 1e-5 … 1e5 with Binance's 8 decimals.
        #expect(btc.allSatisfy { $0.close.doubleValue > 20_000 && $0.close.doubleValue < 400_000 })
        #expect(shib.allSatisfy { $0.close.doubleValue > 1e-6 && $0.close.doubleValue < 1e-4 })
        #expect(usdc.allSatisfy { abs($0.close.doubleValue - 1) < 0.02 })
        // Volatility clusters: absolute minute returns are autocorrelated.
        let closes = btc.map(\.close.doubleValue)
        let absReturns = zip(closes, closes.dropFirst()).map { abs(log($1 / $0)) }
        #expect(autocorrelation(absReturns, lag: 1) > 0.05)
        // Volume follows the clock: the US open is busier than the Asian night.
        func meanVolume(minute: Int) -> Double {
            let bars = btc.filter { Int(($0.openTime / 60_000_000) % 1_440) / 30 == minute / 30 }
            return bars.reduce(0) { $0 + $1.volume.doubleValue } / Double(bars.count)
        }
        #expect(meanVolume(minute: 870) > 1.5 * meanVolume(minute: 180))
    }

    private func postFaults(_ url: String, _ json: String) async throws -> String {
        // UpdraftHTTP is GET-only; the admin endpoint is exercised with a raw loopback POST. The
        // sandbox answers on this process's cooperative pool, so waiting for curl must not hold
        // one of its threads (`waitUntilExit` would): curl's exit resumes this task.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-X", "POST", "-H", "Content-Type: application/json", "--data", json, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    private func autocorrelation(_ x: [Double], lag: Int) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        var numerator = 0.0, denominator = 0.0
        for i in x.indices {
            denominator += (x[i] - mean) * (x[i] - mean)
            if i >= lag { numerator += (x[i] - mean) * (x[i - lag] - mean) }
        }
        return numerator / denominator
    }
}
