import Foundation
import UpdraftHTTP

/// CoinGecko's `coins/markets`: the top coins by market cap, and which of them are stablecoins.
///
/// ```swift
/// let gecko = CoinGeckoClient(configuration: .init(apiKey: .demo(key)))
/// let top = try await gecko.topCoins(count: 100)               // ranked, keyed by `id`
/// let stable = try await gecko.stablecoinIDs()                 // category=stablecoins
/// ```
public struct CoinGeckoClient: Sendable {
    /// Where and how to call CoinGecko.
    public struct Configuration: Sendable {
        /// API base; `https://api.coingecko.com/api/v3` (demo/keyless) or `https://pro-api.coingecko.com/api/v3`.
        public var baseURL: String
        /// Optional key, sent as a header and never logged.
        public var apiKey: CoinGeckoAPIKey?
        /// Calls per minute allowed to the host, shared by the process (keyless 10, demo 30).
        public var callsPerMinute: Int
        /// Rows per page (CoinGecko allows 1…250).
        public var perPage: Int

        /// A configuration; without a key the budget defaults to 10 calls a minute, with one to 30.
        public init(
            baseURL: String = "https://api.coingecko.com/api/v3", apiKey: CoinGeckoAPIKey? = nil,
            callsPerMinute: Int? = nil, perPage: Int = 250
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.apiKey = apiKey
            self.callsPerMinute = callsPerMinute ?? (apiKey == nil ? 10 : 30)
            self.perPage = min(250, max(1, perPage))
        }
    }

    /// The configuration in use.
    public let configuration: Configuration
    private let http: HTTPClient

    /// A client over `http` (a shared client by default, so its host budget is process-wide).
    public init(configuration: Configuration = Configuration(), http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    /// The top `count` coins by market cap (descending), paging `per_page` at a time past 250.
    /// Coins are unique by `id` (a coin that moves between pages while paging is kept once).
    public func topCoins(count: Int, vsCurrency: String = "usd") async throws -> [CoinMarket] {
        try await markets(vsCurrency: vsCurrency, category: nil, limit: count)
    }

    /// The ids of every coin in CoinGecko's `stablecoins` category (pages until a short page).
    public func stablecoinIDs(vsCurrency: String = "usd") async throws -> Set<String> {
        Set(try await markets(vsCurrency: vsCurrency, category: "stablecoins", limit: nil).map(\.id))
    }

    /// Pages through `coins/markets` ordered by market cap until `limit` coins or a short page.
    public func markets(vsCurrency: String, category: String?, limit: Int?) async throws -> [CoinMarket] {
        var result: [CoinMarket] = []
        var seen = Set<String>()
        var page = 1
        while limit.map({ result.count < $0 }) ?? true {
            var query = "vs_currency=\(Self.encode(vsCurrency))&order=market_cap_desc&per_page=\(configuration.perPage)&page=\(page)"
            if let category { query += "&category=\(Self.encode(category))" }
            let url = "\(configuration.baseURL)/coins/markets?\(query)"
            let rows = try await fetchPage(url)
            for row in rows where seen.insert(row.id).inserted {
                result.append(row)
            }
            if rows.count < configuration.perPage { break }
            page += 1
        }
        return limit.map { Array(result.prefix($0)) } ?? result
    }

    private func fetchPage(_ url: String) async throws -> [CoinMarket] {
        var headers = HTTPHeaders()
        headers["Accept"] = "application/json"
        if let key = configuration.apiKey { headers[key.headerName] = key.value }
        let request = HTTPRequest(
            url: url, headers: headers, weight: 1,
            rateLimit: .callsPerMinute(configuration.callsPerMinute))
        let response = try await http.get(request)
        do {
            return try JSONDecoder().decode([CoinMarket].self, from: Data(response.body))
        } catch {
            throw ClientResponseError(source: url, reason: "not a coins/markets array: \(Self.describe(error))")
        }
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? value
    }

    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        let context: DecodingError.Context
        switch decoding {
        case .keyNotFound(let key, let found):
            return "missing \"\(key.stringValue)\" at \(found.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(_, let found), .typeMismatch(_, let found), .dataCorrupted(let found):
            context = found
        @unknown default:
            return "\(decoding)"
        }
        return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    }
}

extension CharacterSet {
    /// Characters left as they are in a query value (unreserved ones and `/`, which S3 keys keep).
    static let urlQueryValueAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
}
