/// The base URLs a client should use to reach a running sandbox; all share one port.
public struct SandboxEndpoints: Sendable, Hashable, CustomStringConvertible {
    /// The bound port.
    public var port: Int
    /// The bound address (`127.0.0.1`).
    public var host: String

    /// `http://127.0.0.1:PORT`
    public var root: String { "http://\(host):\(port)" }
    /// CoinGecko base, like `https://api.coingecko.com/api/v3`: `http://127.0.0.1:PORT/api/v3`.
    public var coinGecko: String { root + "/api/v3" }
    /// Binance REST base, like `https://api.binance.com`: `http://127.0.0.1:PORT`.
    public var binance: String { root }
    /// Archive base, like `https://data.binance.vision`: `http://127.0.0.1:PORT` (files under `/data/spot/…`).
    public var archive: String { root }
    /// Bucket listing, like `https://s3-ap-northeast-1.amazonaws.com/data.binance.vision`:
    /// `http://127.0.0.1:PORT/data.binance.vision`.
    public var listing: String { root + "/data.binance.vision" }
    /// Kraken base, like `https://api.kraken.com`: `http://127.0.0.1:PORT` (routes under `/0/public/…`).
    public var kraken: String { root }
    /// KuCoin base, like `https://api.kucoin.com`: `http://127.0.0.1:PORT` (routes under `/api/v1|v2/…`).
    public var kucoin: String { root }
    /// Poloniex base, like `https://api.poloniex.com`: `http://127.0.0.1:PORT/poloniex` (its `/markets`
    /// would otherwise sit beside the others at the root).
    public var poloniex: String { root + "/poloniex" }
    /// Fault administration: `GET`/`POST`/`DELETE http://127.0.0.1:PORT/__sandbox/faults`.
    public var faults: String { root + "/__sandbox/faults" }

    public var description: String {
        """
        CoinGecko  \(coinGecko)
        Binance    \(binance)
        archive    \(archive)
        listing    \(listing)
        Kraken     \(kraken)
        KuCoin     \(kucoin)
        Poloniex   \(poloniex)
        faults     \(faults)
        """
    }
}
