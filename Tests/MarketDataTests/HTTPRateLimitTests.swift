import Foundation
import Testing

@testable import UpdraftHTTP

@Suite("Per-host traffic: weight windows, pauses, bans")
struct HTTPRateLimitTests {
    let host = "https://api.binance.com:443"
    let minute = Date(timeIntervalSince1970: 1_700_000_040)  // exactly on a minute boundary

    @Test func weightIsCountedPerWindowAndWaitsForTheNext() async {
        let traffic = HostTraffic()
        let limit = RateLimit(capacity: 10)
        #expect(await traffic.decide(host: host, weight: 4, limit: limit, now: minute) == .proceed)
        #expect(await traffic.decide(host: host, weight: 4, limit: limit, now: minute.addingTimeInterval(1)) == .proceed)
        #expect(await traffic.decide(host: host, weight: 4, limit: limit, now: minute.addingTimeInterval(20)) == .wait(.seconds(40)))
        #expect(await traffic.usedWeight(host: host) == 8)
        #expect(await traffic.decide(host: host, weight: 4, limit: limit, now: minute.addingTimeInterval(60)) == .proceed)
        #expect(await traffic.usedWeight(host: host) == 4)
    }

    @Test func serverCountKeepsTheWindowInStep() async {
        let traffic = HostTraffic()
        let limit = RateLimit.binance
        #expect(await traffic.decide(host: host, weight: 20, limit: limit, now: minute) == .proceed)
        // Another process on the same address already used 5,990 this minute.
        await traffic.observe(host: host, usedWeight: 5_990, now: minute.addingTimeInterval(1))
        #expect(await traffic.decide(host: host, weight: 2, limit: limit, now: minute.addingTimeInterval(2)) == .proceed)
        #expect(await traffic.decide(host: host, weight: 20, limit: limit, now: minute.addingTimeInterval(3)) == .wait(.seconds(57)))
        // A lower server count never lowers ours within the window.
        await traffic.observe(host: host, usedWeight: 10, now: minute.addingTimeInterval(4))
        #expect(await traffic.usedWeight(host: host) == 5_992)
    }

    @Test func oversizedRequestGoesAloneInAWindow() async {
        let traffic = HostTraffic()
        #expect(await traffic.decide(host: host, weight: 50, limit: RateLimit(capacity: 10), now: minute) == .proceed)
    }

    @Test func pauseHoldsAndBanRefusesOnlyThatHost() async {
        let traffic = HostTraffic()
        await traffic.pause(host: host, until: minute.addingTimeInterval(7))
        #expect(await traffic.decide(host: host, weight: 1, limit: nil, now: minute) == .wait(.seconds(7)))
        #expect(await traffic.decide(host: host, weight: 1, limit: nil, now: minute.addingTimeInterval(7)) == .proceed)
        let until = minute.addingTimeInterval(120)
        await traffic.ban(host: host, until: until)
        #expect(await traffic.decide(host: host, weight: 1, limit: nil, now: minute.addingTimeInterval(119)) == .banned(until: until))
        #expect(await traffic.decide(host: "https://api.coingecko.com:443", weight: 1, limit: nil, now: minute) == .proceed)
        #expect(await traffic.banEnd(host: host, now: minute) == until)
        #expect(await traffic.decide(host: host, weight: 1, limit: nil, now: until) == .proceed)
    }

    @Test func hostKeysIncludeSchemeAndPort() {
        #expect(HostTraffic.hostKey(for: "https://API.binance.com/api/v3/klines?x=1") == "https://api.binance.com:443")
        #expect(HostTraffic.hostKey(for: "http://127.0.0.1:8787/data") == "http://127.0.0.1:8787")
        #expect(HostTraffic.hostKey(for: "no scheme") == nil)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = HTTPRetryPolicy(maxAttempts: 9, initialDelay: .milliseconds(500), multiplier: 2, maxDelay: .seconds(3))
        #expect((1...5).map { policy.delay(beforeRetry: $0) } == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(3)])
    }

    @Test func retryAfterReadsSecondsAndResetDates() {
        #expect(HTTPClient.retryAfter(["Retry-After": "120"]) == .seconds(120))
        #expect(HTTPClient.retryAfter(["retry-after": "oops"]) == nil)
        #expect(HTTPClient.parseResetDate("2025-07-25 14:54:00 +0000") == Date(timeIntervalSince1970: 1_753_455_240))
    }

    @Test func errorBodiesOfBothAPIsAreRead() {
        let binance = ServerErrorMessage(body: Array(#"{"code":-1003,"msg":"Too much request weight used"}"#.utf8))
        #expect(binance?.source == .binance && binance?.code == -1003)
        let gecko = ServerErrorMessage(
            body: Array(#"{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit."}}"#.utf8))
        #expect(gecko?.source == .coinGecko && gecko?.code == 429 && gecko?.message == "You've exceeded the Rate Limit.")
        #expect(ServerErrorMessage(body: Array("<html>Cloudflare</html>".utf8)) == nil)
        #expect(ServerErrorMessage.summary(of: Array("<html>Cloudflare</html>".utf8)) == "<html>Cloudflare</html>")
    }

    @Test func headersAreCaseInsensitive() {
        var headers: HTTPHeaders = ["X-MBX-USED-WEIGHT-1M": "42"]
        #expect(headers["x-mbx-used-weight-1m"] == "42")
        headers["x-mbx-used-weight-1m"] = "43"
        #expect(headers.fields.count == 1 && headers["X-MBX-USED-WEIGHT-1M"] == "43")
    }
}
