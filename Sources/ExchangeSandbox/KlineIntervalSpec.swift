/// The kline intervals the sandbox serves, by Binance name, with their length.
enum KlineIntervalSpec {
    private static let minutes: [String: Int64] = [
        "1m": 1, "3m": 3, "5m": 5, "15m": 15, "30m": 30, "1h": 60, "2h": 120, "4h": 240, "6h": 360,
        "8h": 480, "12h": 720, "1d": 1440,
    ]

    /// The interval's length in milliseconds, `nil` for names the sandbox does not serve
    /// (`1s`, `3d`, `1w`, `1M`).
    static func milliseconds(_ name: String) -> Int64? {
        minutes[name].map { $0 * 60_000 }
    }
}
