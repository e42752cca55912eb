import MarketAPI
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftUI

/// `GET /market`: the warehouse's symbols (as `GET /api/market/v1/symbols` lists them) with
/// their coin, rank, tracking state and 1-minute candle coverage, each linking to its chart.
enum MarketListPage {
    static func render(_ request: WebRequest) async throws -> APIResponse {
        let stores = try request.context.resources.resolve(MarketStores.self)
        let symbols = try await BlockingRead.run { try SymbolOverview.all(in: stores.warehouse) }
        return PageLayout.page(request, title: "Market", crumbs: [Crumb("Market")]) { html in
            html.element("h1", text: "Market")
            guard !symbols.isEmpty else {
                html.element(
                    "p", ["class": "notice"], text: "The warehouse holds no symbols yet: run the `historical` DAG or `updraft data import`."
                )
                return
            }
            html.element("table", ["class": "list market-symbols"]) { html in
                html.raw("<thead><tr><th>Symbol</th><th>Coin</th><th class=\"num\">Rank</th><th>Tracking</th>")
                html.raw("<th class=\"num\">1m candles</th><th>First</th><th>Last</th></tr></thead><tbody>")
                for symbol in symbols {
                    html.element("tr", ["data-symbol": symbol.symbol]) { html in
                        html.element("td") { html in html.element("a", ["href": MarketPath.symbol(symbol.symbol)], text: symbol.symbol) }
                        html.element("td", text: symbol.name ?? "–")
                        html.element("td", ["class": "num"], text: symbol.rank.map(String.init) ?? "–")
                        html.element("td", text: symbol.tracking.rawValue)
                        html.element("td", ["class": "num"], text: String(symbol.rows))
                        html.element("td", text: symbol.firstOpenTime.map(TimeLabel.minute) ?? "–")
                        html.element("td", text: symbol.lastOpenTime.map(TimeLabel.minute) ?? "–")
                    }
                }
                html.raw("</tbody>")
            }
        }
    }
}

/// Paths of the market pages, escaped for URLs.
enum MarketPath {
    static func symbol(_ symbol: String) -> String { "/market/" + PagePath.segment(symbol) }
    static func symbol(_ symbol: String, interval: String, from: Int64? = nil, to: Int64? = nil) -> String {
        var path = Self.symbol(symbol) + "?interval=" + PagePath.segment(interval)
        if let from { path += "&from=\(from / 1000)" }
        if let to { path += "&to=\(to / 1000)" }
        return path
    }
    static func models(_ symbol: String) -> String { "/models/" + PagePath.segment(symbol) }
}
