import UpdraftRuntime

/// The data the crypto pipeline produces, as assets: each DAG updates one and the next is
/// scheduled on it (`get_symbols` → `symbols` → `historical` → `tickerdata_1m` → `indicators` …).
public enum MarketAssets {
    /// The `symbol` table: the tracked coins and their pairs (`get_symbols`).
    public static let symbols = Asset("symbols", uri: "updraft://warehouse/symbols")
    /// 1-minute candles in the warehouse (`historical`, `incremental`).
    public static let tickerdata1m = Asset("tickerdata_1m", uri: "updraft://warehouse/tickerdata_1m")
    /// Indicators on 1-minute candles (`indicators`).
    public static let indicators1m = Asset("indicators_1m", uri: "updraft://warehouse/indicators_1m")
    /// The model registry (`training`).
    public static let models = Asset("models", uri: "updraft://registry/models")
    /// Predictions and their scores (`scoring`).
    public static let predictions = Asset("predictions", uri: "updraft://warehouse/predictions")
}
