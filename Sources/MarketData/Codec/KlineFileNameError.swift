/// A file name that is not `SYMBOL-INTERVAL-YYYY-MM[-DD].zip|.csv`.
public struct KlineFileNameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name at fault.
    public var name: String
    public var description: String {
        "'\(name)' is not a Binance kline file name (expected SYMBOL-INTERVAL-YYYY-MM[-DD].zip or .csv, e.g. BTCUSDT-1m-2024-01.zip)"
    }
}
