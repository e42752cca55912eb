import UpdraftAPI

/// The market's web UI pages, added to the engine's through ``APIRoutes/pages``.
public enum MarketPages {
    /// Every market page (Market, Models).
    public static var pages: [WebRoute] { [] }
}
