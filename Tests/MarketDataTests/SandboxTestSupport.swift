import ExchangeSandbox
import Foundation
import MarketData
import UpdraftHTTP

/// Shared set-up for the tests that talk to an in-process sandbox over real HTTP.
enum SandboxTestSupport {
    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad date \(text)") }
        return date
    }

    /// The real archive files bundled with the sandbox (what `updraft sandbox` serves by default).
    static var fixtureRoot: String { SandboxFixtures.binanceRoot }

    /// A sandbox whose now is 2024-03-10 12:00:30 UTC and whose history starts 2024-01-01.
    static func configuration(
        seed: UInt64 = 7, now: String = "2024-03-10T12:00:30Z",
        historyStart: String = "2024-01-01T00:00:00Z", coinCount: Int = 320,
        fixtures: Bool = false
    ) -> SandboxConfiguration {
        SandboxConfiguration(
            seed: seed, now: date(now), historyStart: date(historyStart), coinCount: coinCount,
            fixtureRoot: fixtures ? fixtureRoot : nil)
    }

    /// An HTTP client on a virtual clock with its own host registry, so waits take no time and
    /// tests do not share bans or budgets.
    static func client(maxAttempts: Int = 4, clock: VirtualClock = VirtualClock()) -> HTTPClient {
        HTTPClient(
            configuration: .init(
                retry: HTTPRetryPolicy(maxAttempts: maxAttempts), timing: clock.timing,
                traffic: HostTraffic()))
    }

    /// A fresh warehouse file in a temporary directory.
    static func warehouse() throws -> KlineWarehouse {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("updraft-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try KlineWarehouse(path: directory.appendingPathComponent("market.db").path)
    }
}
