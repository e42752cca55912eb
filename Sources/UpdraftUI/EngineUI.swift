import UpdraftAPI

/// The engine's web UI: every page of it, for the API server to serve (`updraft api-server` and
/// `updraft standalone`). A domain adds its own pages through ``APIRoutes/pages``; those with a
/// navigation title join the bar after the engine's.
///
/// ```swift
/// let routes = APIRoutes(pages: EngineUI.pages + MarketPages.pages)
/// ```
public enum EngineUI {
    /// The engine's pages, static files and fragments.
    public static var pages: [WebRoute] {
        StaticAssets.routes + LoginPage.routes + DAGsPage.routes + TriggerPage.routes + GridPage.routes + GraphPage.routes
            + RunPage.routes + TaskInstancePage.routes + AssetsPage.routes + OperationsPage.routes
    }
}
