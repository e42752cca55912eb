/// Kraken's asset names into canonical ones. Kraken calls bitcoin `XBT` and dogecoin `XDG`, and its
/// older assets carry an `X` (crypto) or `Z` (fiat) prefix in internal names (`XXBT`, `XETH`,
/// `ZUSD`, `ZEUR`); `wsname` (`XBT/USD`) has no prefixes, so pairs are read from it.
enum KrakenAssetNames {
    static let aliases = ["XBT": "BTC", "XDG": "DOGE"]

    /// `XBT` → `BTC`, `XXBT` → `BTC`, `ZUSD` → `USD`, `USDT` → `USDT`.
    static func canonical(_ name: String) -> String {
        let upper = name.uppercased()
        if let alias = aliases[upper] { return alias }
        if upper.count == 4, let first = upper.first, first == "X" || first == "Z" {
            let rest = String(upper.dropFirst())
            if let alias = aliases[rest] { return alias }
            if ["ETH", "LTC", "XRP", "XLM", "XMR", "ETC", "REP", "ZEC", "MLN", "USD", "EUR", "GBP", "JPY", "CAD"].contains(rest) {
                return rest
            }
        }
        return upper
    }

    /// The canonical pair of a `wsname` such as `XBT/USD`.
    static func pair(wsname: String) -> CanonicalPair? {
        let parts = wsname.split(separator: "/")
        guard parts.count == 2 else { return nil }
        return CanonicalPair(base: canonical(String(parts[0])), quote: canonical(String(parts[1])))
    }
}
