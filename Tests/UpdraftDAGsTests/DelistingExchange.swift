import ExchangeSandbox
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UpdraftHTTP

/// Binance's `exchangeInfo` as the sandbox serves it, with some pairs moved to `BREAK` (delisted),
/// on its own loopback port: point `endpoints.binance` at it for a `get_symbols` run after a
/// delisting.
enum DelistingExchange {
    /// Serves the altered `exchangeInfo` while `body` runs; `body` gets the base URL.
    static func withRunning<Value: Sendable>(
        upstream: SandboxEndpoints, delisted: [String],
        _ body: @Sendable (String) async throws -> Value
    ) async throws -> Value {
        var text = try await HTTPClient().get(upstream.binance + "/api/v3/exchangeInfo").text
        for pair in delisted {
            let trading = "\"symbol\":\"\(pair)\",\"status\":\"TRADING\""
            guard text.contains(trading) else { throw ExchangeInfoMismatch(pair: pair) }
            text = text.replacingOccurrences(of: trading, with: "\"symbol\":\"\(pair)\",\"status\":\"BREAK\"")
        }
        let served = text
        let router = Router(context: BasicRequestContext.self)
        router.get("api/v3/exchangeInfo") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: served)))
        }
        var logger = Logger(label: "test.delisting-exchange")
        logger.logLevel = .error
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                sink.yield(channel.localAddress?.port ?? 0); sink.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let result: Result<Value, any Error>
            do { result = .success(try await body("http://127.0.0.1:\(port)")) } catch { result = .failure(error) }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    struct ExchangeInfoMismatch: Error, CustomStringConvertible {
        var pair: String
        var description: String { "the sandbox's exchangeInfo does not list \(pair) as TRADING" }
    }
}
