import Forecasting
import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketPipeline
import Testing

/// The models pages: registry, validation against the naive baseline, live metrics, drift.
@Suite(.serialized) struct ModelsPageTests {
    @Test func everySymbolsModelsWithMetricsAndDrift() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        let registry = harness.stores.forecaster.registry
        let models = try registry.models(symbol: "BTCUSDT")
        let best = try #require(try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 15))
        let live = try #require(try registry.liveMetrics(modelVersion: best.id)?.metrics)
        try await harness.withServer { client in
            let page = try await client.page("/models")
            #expect(page.contains("<section class=\"panel models\" data-symbol=\"BTCUSDT\">"))
            for model in models {
                #expect(page.contains("<tr data-model=\"\(model.id)\""), "\(model.id)")
            }
            #expect(page.contains("<tr data-model=\"\(best.id)\" class=\"best\">"))
            // `models show`'s drift: live MSE over validation MSE.
            #expect(page.contains(String(format: "%.2f", live.mse / best.validation.mse) + "×"))
            let drift = try #require(Markup.attributes(of: "svg", classes: "chart drift", in: page))
            #expect(drift["data-model"] == best.id)
            #expect(Int(drift["data-points"] ?? "") ?? 0 > 0)
            #expect(page.contains("class=\"level one\""))
            // The XSS model's parameter shows as text.
            #expect(page.contains("note=&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.contains(MarketUIHarness.script))

            let one = try await client.page("/models/btcusdt")
            #expect(one.contains("<section class=\"panel\" data-model=\"\(best.id)\">"))
            #expect(!one.contains("data-symbol=\"XSSUSDT\""))
            let none = try await client.page("/models/ETHUSDT")
            #expect(none.contains("No models of ETHUSDT trained yet."))
        }
    }
}
