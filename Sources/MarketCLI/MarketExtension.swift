import ArgumentParser
import Foundation
import MarketAPI
import MarketPipeline
import MarketUI
import UpdraftAPI
import UpdraftCLI
import UpdraftConfig
import UpdraftRuntime

/// The crypto pipeline's part of the `updraft` binary: its command groups (`data`, `symbols`, `sandbox`,
/// `indicators`, `models`, `predictions`, `alerts`, `trades`, `pnl`, `backtest`, `demo`), its configuration keys, its resources and its
/// API routes (`/api/market/v1`, ``MarketRoutes``).
///
/// ```swift
/// await UpdraftApplication(extensions: [MarketExtension()], dags: UpdraftDAGs.all).main()
/// ```
public struct MarketExtension: UpdraftExtension {
    public init() {}

    public var name: String { "market" }

    public var commands: [any ParsableCommand.Type] {
        [
            DataCommand.self, SymbolsCommand.self, SandboxCommand.self, IndicatorsCommand.self, ModelsCommand.self,
            PredictionsCommand.self, AlertsCommand.self, TradesCommand.self, PnLCommand.self, BacktestCommand.self,
            DemoCommand.self,
        ]
    }

    public var configKeys: [ConfigKeySpec] { MarketConfig.keys }

    public func resources(_ configuration: UpdraftConfiguration) -> [ResourceProvider] {
        MarketResources.providers(configuration)
    }

    public func routes(_ configuration: UpdraftConfiguration) -> APIRoutes {
        var routes = MarketRoutes.routes
        routes.pages = MarketPages.pages
        return routes
    }
}
