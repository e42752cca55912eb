import Foundation
import HTTPTypes
import MarketPipeline
import NIOPosix
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime

/// The crypto pipeline's read-only API under `/api/market/v1` (role `viewer`, the engine's
/// auth): the warehouse's symbols, candles (JSON or Binance CSV, any of the Binance intervals
/// from 1m to 1d), indicators, gaps, models, predictions, market alerts and the trading ledger. Handlers read ``MarketStores``
/// from the server's resources; their reads run on NIO's blocking thread pool.
///
/// ```swift
/// struct MarketExtension: UpdraftExtension {
///     func routes(_ configuration: UpdraftConfiguration) -> APIRoutes { MarketRoutes.routes }
/// }
/// ```
public enum MarketRoutes {
    /// The routes' common prefix.
    public static let prefix = "/api/market/v1"
    /// The most rows (candles, indicator rows) one answer holds; a range with more is a 400.
    public static let maximumRows = 50_000

    /// Every route with the component schemas it names.
    public static var routes: APIRoutes {
        APIRoutes(
            endpoints: SymbolRoutes.endpoints + UniverseRoutes.endpoints + CandleRoutes.endpoints + IndicatorRoutes.endpoints
                + ForecastRoutes.endpoints + TradingRoutes.endpoints,
            schemas: MarketSchemas.components)
    }

    /// The tag of every market route in the OpenAPI document.
    static let tag = "Market"
}

extension APIRequest {
    /// This process's market stores (a 500 when the binary provides none).
    func marketStores() throws -> MarketStores { try context.resources.resolve(MarketStores.self) }

    /// The `{symbol}` path parameter as ``MarketReads/knownSymbol(_:in:)`` reads it.
    func knownSymbol(in stores: MarketStores) throws -> String { try MarketReads.knownSymbol(path("symbol"), in: stores) }
}

/// Runs the market stores' synchronous reads off Swift's cooperative pool, on NIO's blocking pool.
///
/// ```swift
/// let klines = try await BlockingRead.run { try MarketReads.candles(symbol, interval: .oneMinute, bounds: bounds, from: warehouse) }
/// ```
public enum BlockingRead {
    /// `body`'s result, computed on NIO's blocking thread pool.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
