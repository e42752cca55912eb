import Forecasting
import Foundation
import MarketAPI
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftUI

/// `GET /models` (every symbol) and `GET /models/{symbol}` (one, with every version's drift):
/// per symbol the model registry (kind, version, horizon, trained at, parameters), validation
/// metrics against the zero-return baseline (MSE, MAE, skill), live metrics and drift, with a
/// drift-over-time chart per best model (per model on a symbol's page).
enum ModelsPage {
    static func renderAll(_ request: WebRequest) async throws -> APIResponse {
        let stores = try request.context.resources.resolve(MarketStores.self)
        let standings = try await BlockingRead.run { try ModelStanding.read(symbol: nil, registry: stores.forecaster.registry) }
        let symbols = Dictionary(grouping: standings, by: \.model.symbol)
        return PageLayout.page(request, title: "Models", crumbs: [Crumb("Models")]) { html in
            html.element("h1", text: "Models")
            if standings.isEmpty {
                html.element("p", ["class": "notice"], text: "No models trained yet: run the `training` DAG or `updraft models train`.")
            }
            for symbol in symbols.keys.sorted() {
                html.element("section", ["class": "panel models", "data-symbol": symbol]) { html in
                    html.element("h2") { html in
                        html.element("a", ["href": MarketPath.models(symbol)], text: symbol)
                        html.raw(" <small>")
                        html.element("a", ["href": MarketPath.symbol(symbol)], text: "chart")
                        html.raw("</small>")
                    }
                    table(&html, symbols[symbol]!)
                    for standing in symbols[symbol]! where standing.isBest { drift(&html, standing) }
                }
            }
        }
    }

    static func renderSymbol(_ request: WebRequest) async throws -> APIResponse {
        let stores = try request.context.resources.resolve(MarketStores.self)
        let text = request.path("symbol")
        let (symbol, standings) = try await BlockingRead.run {
            let standings = try ModelStanding.read(symbol: text.uppercased(), registry: stores.forecaster.registry)
            let symbol = standings.isEmpty ? try MarketReads.knownSymbol(text, in: stores) : text.uppercased()
            return (symbol, standings)
        }
        return PageLayout.page(request, title: symbol + " models", crumbs: [Crumb("Models", "/models"), Crumb(symbol)]) { html in
            html.element("div", ["class": "toolbar"]) { html in
                html.element("h1", ["style": "margin:0"], text: symbol + " models")
                html.element("a", ["href": MarketPath.symbol(symbol)], text: "Chart")
            }
            guard !standings.isEmpty else {
                html.element("p", ["class": "notice"], text: "No models of \(symbol) trained yet.")
                return
            }
            table(&html, standings)
            for standing in standings where standing.isBest || !standing.drift.points.isEmpty {
                html.element("section", ["class": "panel", "data-model": standing.model.id]) { html in
                    facts(&html, standing.model)
                    drift(&html, standing)
                }
            }
        }
    }

    private static func table(_ html: inout HTML, _ standings: [ModelStanding]) {
        html.element("table", ["class": "list models-table"]) { html in
            html.raw("<thead><tr><th>Model</th><th>Kind</th><th class=\"num\">Version</th><th class=\"num\">Horizon</th><th>Trained</th>")
            html.raw("<th>Parameters</th><th class=\"num\">Val. MSE</th><th class=\"num\">Naive MSE</th><th class=\"num\">Val. MAE</th>")
            html.raw(
                "<th class=\"num\">Naive MAE</th><th class=\"num\">Skill</th><th class=\"num\">Live n</th><th class=\"num\">Live MSE</th>")
            html.raw("<th class=\"num\">Live MAE</th><th class=\"num\">Drift</th></tr></thead><tbody>")
            for s in standings {
                let m = s.model
                html.element("tr", ["data-model": m.id, "class": s.isBest ? "best" : nil]) { html in
                    html.element("td") { html in
                        html.element("span", ["class": "mono"], text: m.id)
                        if s.isBest { html.raw(" <span class=\"pill\" title=\"Best for its symbol and horizon\">★ best</span>") }
                    }
                    html.element("td", text: m.kind.rawValue + (m.kind.isBaseline ? " (naive)" : ""))
                    html.element("td", ["class": "num"], text: String(m.version))
                    html.element("td", ["class": "num"], text: "\(m.horizonMinutes) min")
                    html.element("td", text: TimeLabel.minute(m.createdAt))
                    html.element("td", ["class": "mono params"]) { html in
                        for key in m.parameters.keys.sorted() {
                            html.element("span", ["class": "pill"], text: key + "=" + m.parameters[key]!)
                        }
                    }
                    for value in [m.validation.mse, m.baseline.mse, m.validation.mae, m.baseline.mae] {
                        html.element("td", ["class": "num"], text: MetricText.number(value))
                    }
                    let skill = s.skill
                    html.element("td", ["class": "num " + ((skill ?? 0) > 0 ? "beats" : "loses"), "title": "1 − MSE ÷ naive MSE"]) { html in
                        html.text(skill.map { (($0 > 0) ? "▲ " : "▼ ") + MetricText.number($0) } ?? "–")
                    }
                    html.element("td", ["class": "num"], text: s.live.map { String($0.count) } ?? "–")
                    html.element("td", ["class": "num"], text: s.live.map { MetricText.number($0.mse) } ?? "–")
                    html.element("td", ["class": "num"], text: s.live.map { MetricText.number($0.mae) } ?? "–")
                    html.element("td", ["class": "num drift"], text: s.overallDrift.map { MetricText.ratio($0) + "×" } ?? "–")
                }
            }
            html.raw("</tbody>")
        }
    }

    private static func facts(_ html: inout HTML, _ m: ModelRecord) {
        html.element("h2") { html in html.element("span", ["class": "mono"], text: m.id) }
        html.element("dl", ["class": "facts"]) { html in
            html.element("dt", text: "Training run")
            html.element("dd", ["class": "mono"], text: m.trainingRun)
            html.element("dt", text: "Window")
            html.element("dd", text: "\(TimeLabel.minute(m.trainStart)) → \(TimeLabel.minute(m.trainEnd)) (\(m.trainRows) rows)")
            html.element("dt", text: "Features")
            html.element("dd", ["class": "mono"], text: m.features.joined(separator: ", "))
            html.element("dt", text: "Directional accuracy")
            html.element(
                "dd",
                text:
                    "validation \(MetricText.number(m.validation.directionalAccuracy)), naive \(MetricText.number(m.baseline.directionalAccuracy))"
            )
        }
    }

    private static func drift(_ html: inout HTML, _ s: ModelStanding) {
        html.element("h3", text: "Drift of \(s.model.id) (\(s.model.horizonMinutes) min)")
        DriftChart.render(&html, s.drift, model: s.model.id)
    }
}
