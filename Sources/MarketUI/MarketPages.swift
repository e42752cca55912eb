import HTTPTypes
import UpdraftAPI
import UpdraftUI

/// The market's web UI pages, added to the engine's through ``APIRoutes/pages``: Market (the
/// symbols, and per symbol candles with indicators, volume, predictions and gaps) and Models (the
/// registry, validation against the naive baseline, live metrics and drift). All need a viewer
/// (``WebRoute/page(_:_:role:navigation:_:)``'s default role).
///
/// ```swift
/// var routes = MarketRoutes.routes
/// routes.pages = MarketPages.pages
/// ```
public enum MarketPages {
    /// Every market page (Market, Models).
    public static var pages: [WebRoute] {
        [
            WebRoute.page(.get, "/market", navigation: "Market") { try await MarketListPage.render($0) },
            WebRoute.page(.get, "/market/{symbol}") { try await MarketSymbolPage.render($0) },
            WebRoute.page(.get, "/models", navigation: "Models") { try await ModelsPage.renderAll($0) },
            WebRoute.page(.get, "/models/{symbol}") { try await ModelsPage.renderSymbol($0) },
        ]
    }
}
