import ExchangeSandbox
import Forecasting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MarketAPI
import MarketData
import MarketPipeline
import NIOCore
import Testing
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// A home whose `market.db` holds real Binance candles, and the real API server over it:
///
/// - `BTCUSDT`: the archive's days 2020-01-01 to 01-03 (zips, checksums verified) and the
///   unpacked day 2024-09-21, with its indicators computed and models trained and scored on
///   the 2020 days (15-minute horizon);
/// - `ETHUSDT`: the 2024-09-21 rows again with five minutes (01:40 to 01:44) left out, and no
///   coin mapped to it;
/// - `BIGUSDT`: 51,840 synthetic minutes (January 2023 and five days of February), more than
///   one answer gives, with their indicators;
/// - the coins of two CoinGecko lists (the latest ranks bitcoin 1, dogecoin 3, usd-coin 4;
///   an older one also had `oldcoin`).
struct MarketAPIHarness: Sendable {
    let home: String
    let stores: MarketStores
    /// The real 2024-09-21 file.
    let dayCSV: [UInt8]
    /// Rows of the day left out of ETHUSDT.
    static let removedRows = 100..<105
    static let username = "viewer-user"
    static let password = "viewer-password"

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/binance/csv")
    }

    /// The lines of `bytes` (without their `\n`).
    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Builds the home (in a new temporary folder).
    static func make() throws -> MarketAPIHarness {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-market-api-\(UUID().uuidString)").path
        let stores = try MarketStores(home: home)
        let dayURL = fixtures.appendingPathComponent("BTCUSDT-1m-2024-09-21.csv")
        let day = [UInt8](try Data(contentsOf: dayURL))
        var ethLines = lines(day)
        ethLines.removeSubrange(removedRows)
        let eth = Array((ethLines.joined(separator: "\n") + "\n").utf8)
        let zips = (1...3).map {
            KlineArchiveSource.file(path: SandboxFixtures.file("data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-0\($0).zip").path)
        }
        let january = UTCCalendar.microseconds(year: 2023, month: 1, day: 1)
        let big: [KlineArchiveSource] =
            [.bytes(name: "BIGUSDT-1m-2023-01.csv", bytes: syntheticMinutes(from: january, count: 31 * 1440), checksum: nil)]
            + (1...5).map { day in
                .bytes(
                    name: "BIGUSDT-1m-2023-02-0\(day).csv",
                    bytes: syntheticMinutes(from: UTCCalendar.microseconds(year: 2023, month: 2, day: day), count: 1440), checksum: nil)
            }
        let loads = stores.warehouse.importArchives(
            zips + [.file(path: dayURL.path), .bytes(name: "ETHUSDT-1m-2024-09-21.csv", bytes: eth, checksum: nil)] + big)
        for load in loads { _ = try load.get() }
        // What the pipeline keeps for data.intervals: every resampled interval's table.
        for symbol in ["BTCUSDT", "ETHUSDT", "BIGUSDT"] {
            _ = try stores.warehouse.resample(symbol: symbol, intervals: KlineWarehouse.resampledIntervals)
        }

        let older = Date(timeIntervalSince1970: 1_726_000_000), latest = Date(timeIntervalSince1970: 1_727_000_000)
        try stores.warehouse.upsertSymbols(
            [
                MarketSymbol(id: "oldcoin", ticker: "old", name: "Old Coin", rank: 1, marketCap: 5e11, binancePair: "OLDUSDT"),
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 2, marketCap: 4e11, binancePair: "BTCUSDT"),
            ], observedAt: older)
        try stores.warehouse.upsertSymbols(
            [
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: 1e12, binancePair: "BTCUSDT"),
                MarketSymbol(id: "dogecoin", ticker: "doge", name: "Dogecoin", rank: 3, marketCap: 1e10, binancePair: "DOGEUSDT"),
                MarketSymbol(
                    id: "usd-coin", ticker: "usdc", name: "USDC", rank: 4, marketCap: 5e9, binancePair: "USDCUSDT", isStablecoin: true),
            ], observedAt: latest)
        try stores.warehouse.setLastUpdated(latest, forSymbol: "bitcoin")

        for symbol in ["BTCUSDT", "BIGUSDT"] {
            for interval in [KlineInterval.oneMinute, .oneHour] {
                _ = try IndicatorUpdate.run(
                    symbol: symbol, interval: interval, warehouse: stores.warehouse, store: stores.indicators, now: Date())
            }
        }

        let start = UTCCalendar.microseconds(year: 2020, month: 1, day: 1)
        let end = UTCCalendar.microseconds(year: 2020, month: 1, day: 4)
        let candles = try stores.warehouse.candles(symbol: "BTCUSDT", from: start, to: end)
        let configuration = TrainingConfiguration(
            folds: 3, testFraction: 0.3, maxRows: nil, maxTrainRows: nil, trees: .init(trees: 10, minSamplesLeaf: 20))
        _ = try stores.forecaster.train(
            symbol: "BTCUSDT", candles: candles, horizonMinutes: 15, configuration: configuration, now: Date(micros: end))
        _ = try stores.forecaster.score(
            symbol: "BTCUSDT", candles: candles, now: Date(micros: end), horizonMinutes: 15, maxNewPredictions: 30)
        return MarketAPIHarness(home: home, stores: stores, dayCSV: day)
    }

    /// `count` made-up 1-minute candles from `start` (µs) in Binance's CSV, prices around 100.
    static func syntheticMinutes(from start: Int64, count: Int) -> [UInt8] {
        let klines = (0..<count).map { index in
            let price = FixedDecimal(units: Int64(10_000_000_000 + (index % 50) * 1_000_000))
            let openTime = start + Int64(index) * 60_000_000
            return Kline(
                openTime: openTime, open: price, high: FixedDecimal(units: price.units + 50_000_000),
                low: FixedDecimal(units: price.units - 50_000_000), close: price, volume: FixedDecimal(units: Int64(100_000_000)),
                closeTime: openTime + 59_999_000, quoteVolume: price, trades: 10,
                takerBuyBaseVolume: FixedDecimal(units: Int64(50_000_000)),
                takerBuyQuoteVolume: FixedDecimal(units: price.units / 2))
        }
        return KlineCSV.format(klines)
    }

    /// Starts the API server (market routes, a viewer user, port 0) and runs `body` with a client
    /// holding a token; the server stops when `body` returns.
    func withServer(role: UserRole = .viewer, _ body: @Sendable (MarketAPIClient) async throws -> Void) async throws {
        let engineHome = home + "/engine-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: engineHome, withIntermediateDirectories: true)
        let store = try SQLiteStateStore(path: engineHome + "/updraft.db")
        let engine = Engine(
            home: EngineHome(engineHome), store: store, registry: try DAGRegistry([]), storePath: engineHome + "/updraft.db")
        try await store.saveUser(
            UserRecord(
                username: Self.username, passwordHash: PasswordHasher(cost: 4).hash(Self.password), role: role,
                createdAt: Date()))
        var logger = Logger(label: "market-api-tests")
        logger.logLevel = .warning
        let server = try await APIServer.make(
            engine: engine, options: APIServerOptions(host: "127.0.0.1", port: 0, passwordHashCost: 4), routes: MarketRoutes.routes,
            resources: Resources([.value(stores)]), logger: logger)
        try await server.application().test(.live) { client in
            let login = try await client.execute(
                uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username": "\#(Self.username)", "password": "\#(Self.password)"}"#))
            #expect(login.status == .created)
            let object = try JSONSerialization.jsonObject(with: Data([UInt8](buffer: login.body))) as? [String: Any]
            let token = try #require(object?["access_token"] as? String)
            try await body(MarketAPIClient(client: client, token: token))
        }
    }
}

/// A test client with the viewer's token.
struct MarketAPIClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    /// `GET uri` with the token (unless `authorized` is false) and `headers`.
    func get(_ uri: String, authorized: Bool = true, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if authorized { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// `METHOD uri` with the token and a JSON `body`.
    func send(_ method: HTTPRequest.Method, _ uri: String, json body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// `GET uri` answered 200 with a JSON object.
    func json(_ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await get(uri)
        #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data([UInt8](buffer: response.body))) as? [String: Any])
    }
}

/// The harness, built once for the suite's tests (training and the imports take a few seconds).
actor SharedMarketHome {
    static let shared = SharedMarketHome()
    private var built: MarketAPIHarness?

    func harness() throws -> MarketAPIHarness {
        if let built { return built }
        let harness = try MarketAPIHarness.make()
        built = harness
        return harness
    }
}
