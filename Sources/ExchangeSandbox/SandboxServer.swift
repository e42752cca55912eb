import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A local exchange on 127.0.0.1 that speaks CoinGecko's `coins/markets`, Binance's `exchangeInfo`
/// and `klines`, the data.binance.vision archive and its S3 bucket listing, Kraken's, KuCoin's and
/// Poloniex's public market data, over real HTTP, serving a
/// deterministic synthetic market (and real fixture files), with faults on demand.
///
/// ```swift
/// let sandbox = SandboxServer(configuration: SandboxConfiguration(seed: 7))
/// sandbox.inject(.status(503), on: .klines, times: 2)
/// try await sandbox.withRunning { endpoints in
///     let client = BinanceRESTClient(baseURL: endpoints.binance)
///     _ = try await client.klines(symbol: "BTCUSDT", interval: .oneMinute)
/// }
/// ```
public final class SandboxServer: Sendable {
    /// The configuration it was made with.
    public let configuration: SandboxConfiguration
    let market: SyntheticMarket
    let faultBoard = SandboxFaultBoard()
    let weights: BinanceWeightMeter
    let exchangeMeter = SandboxExchangeMeter()
    let archive: SandboxArchive
    let desk: SandboxTradingDesk
    let receivedMessages = Locked<[SandboxReceivedMessage]>([])
    let logger: Logger

    /// A sandbox; nothing listens until `withRunning` or `run`.
    public init(configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger? = nil) {
        self.configuration = configuration
        let coins = SandboxCoinUniverse.coins(count: configuration.coinCount, seed: configuration.seed)
        self.market = SyntheticMarket(seed: configuration.seed, coins: coins, historyStart: configuration.historyStart)
        self.weights = BinanceWeightMeter(
            limit: configuration.binanceWeightLimit,
            banAfter: configuration.binanceBanAfterViolations,
            banDuration: configuration.binanceBanDuration)
        self.archive = SandboxArchive(market: market, fixtureRoot: configuration.fixtureRoot)
        self.desk = SandboxTradingDesk(keys: configuration.tradingKeys, balances: configuration.startingBalances)
        var quiet = logger ?? Logger(label: "updraft.sandbox")
        if logger == nil { quiet.logLevel = .warning }
        self.logger = quiet
    }

    /// The sandbox's current time.
    var now: Date { configuration.now ?? Date() }

    /// Arms a fault: the next `times` requests to `route` whose path and query contain `matching` misbehave.
    public func inject(_ fault: SandboxFault, on route: SandboxRoute, matching: String = "", times: Int? = 1) {
        faultBoard.arm(SandboxFaultRule(route: route, fault: fault, matching: matching, times: times))
    }

    /// Disarms every fault.
    public func clearFaults() {
        faultBoard.clear()
    }

    /// The faults still armed.
    public var armedFaults: [SandboxFaultRule] { faultBoard.armed }

    /// The coins the sandbox serves, largest first.
    public var coins: [SandboxCoin] { market.coins }

    /// Serves while `body` runs, then shuts down; `body` gets the base URLs (port chosen when 0).
    public func withRunning<Value: Sendable>(
        _ body: @Sendable (SandboxEndpoints) async throws -> Value
    ) async throws -> Value {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let threads = SandboxThreads()
        let app = makeApplication(on: threads.group) { port in
            portSink.yield(port); portSink.finish()
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portSink.finish() }
                try await threads.serve { try await services.run() }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                throw SandboxError(message: "the sandbox did not start on \(configuration.host):\(configuration.port)")
            }
            let result: Result<Value, any Error>
            do {
                result = .success(try await body(SandboxEndpoints(port: port, host: configuration.host)))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    /// Serves until SIGINT or SIGTERM; `onStart` gets the base URLs once the port is bound.
    public func run(onStart: @escaping @Sendable (SandboxEndpoints) -> Void) async throws {
        let host = configuration.host
        let threads = SandboxThreads()
        let app = makeApplication(on: threads.group) { port in onStart(SandboxEndpoints(port: port, host: host)) }
        try await threads.serve { try await app.runService() }
    }

    /// The server, its sockets on `group` (whose threads also run the handlers: `SandboxThreads`).
    private func makeApplication(
        on group: MultiThreadedEventLoopGroup,
        onPort: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "updraft-sandbox"),
            onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: .shared(group),
            logger: logger
        )
    }
}

/// The sandbox could not start or serve.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { message }
}
