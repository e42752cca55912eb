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
import MarketUI
import NIOCore
import Testing
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore
import UpdraftUI

/// A home whose `market.db` holds real Binance candles, and the API server with the market
/// pages over it:
///
/// - `BTCUSDT`: the archive's days 2020-01-01 to 01-03 with their indicators, models trained
///   on them (15-minute horizon) and scored twice: 60 predictions made 2020-01-03 11:00–11:59
///   and scored, 30 more at 23:30–23:59 not yet matured;
/// - `ETHUSDT`: the real 2024-09-21 day with five minutes (01:40 to 01:44) left out, no
///   indicators, no models;
/// - `XSSUSDT`: a coin named `<script>…` mapped to it, no candles, one model whose parameter
///   holds `<script>`.
struct MarketUIHarness: Sendable {
    let home: String
    let stores: MarketStores
    static let username = "viewer-user"
    static let password = "viewer-password"
    static let script = "<script>alert(1)</script>"
    /// The hour whose predictions are scored.
    static let scoredHour = (from: "2020-01-03T11:00:00Z", to: "2020-01-03T12:00:00Z")

    static func make() throws -> MarketUIHarness {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-market-ui-\(UUID().uuidString)").path
        let stores = try MarketStores(home: home)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/binance/csv")
        let day = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("BTCUSDT-1m-2024-09-21.csv")))
        var ethLines = String(decoding: day, as: UTF8.self).split(separator: "\n").map(String.init)
        ethLines.removeSubrange(100..<105)
        let eth = Array((ethLines.joined(separator: "\n") + "\n").utf8)
        let zips = (1...3).map {
            KlineArchiveSource.file(path: SandboxFixtures.file("data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-0\($0).zip").path)
        }
        for load in stores.warehouse.importArchives(zips + [.bytes(name: "ETHUSDT-1m-2024-09-21.csv", bytes: eth, checksum: nil)]) {
            _ = try load.get()
        }
        // What the pipeline keeps for data.intervals: every resampled interval's table.
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            _ = try stores.warehouse.resample(symbol: symbol, intervals: KlineWarehouse.resampledIntervals)
        }
        try stores.warehouse.upsertSymbols(
            [
                MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: 1e12, binancePair: "BTCUSDT"),
                MarketSymbol(id: "xss", ticker: "xss", name: script, rank: 9, marketCap: 1e6, binancePair: "XSSUSDT"),
            ], observedAt: Date(timeIntervalSince1970: 1_727_000_000))
        for interval in [KlineInterval.oneMinute, .oneHour] {
            _ = try IndicatorUpdate.run(
                symbol: "BTCUSDT", interval: interval, warehouse: stores.warehouse, store: stores.indicators, now: Date())
        }

        let start = UTCCalendar.microseconds(year: 2020, month: 1, day: 1)
        let noon = UTCCalendar.microseconds(year: 2020, month: 1, day: 3) + 12 * 3_600_000_000
        let end = UTCCalendar.microseconds(year: 2020, month: 1, day: 4)
        let candles = try stores.warehouse.candles(symbol: "BTCUSDT", from: start, to: end)
        let configuration = TrainingConfiguration(
            folds: 3, testFraction: 0.3, maxRows: nil, maxTrainRows: nil, trees: .init(trees: 10, minSamplesLeaf: 20))
        _ = try stores.forecaster.train(
            symbol: "BTCUSDT", candles: candles, horizonMinutes: 15, configuration: configuration, now: Date(micros: end))
        let morning = try stores.warehouse.candles(symbol: "BTCUSDT", from: start, to: noon)
        _ = try stores.forecaster.score(
            symbol: "BTCUSDT", candles: morning, now: Date(micros: noon), horizonMinutes: 15, maxNewPredictions: 60)
        _ = try stores.forecaster.score(
            symbol: "BTCUSDT", candles: candles, now: Date(micros: end), horizonMinutes: 15, maxNewPredictions: 30)

        let metrics = ForecastMetrics(count: 10, mse: 1e-6, mae: 1e-3, r2: 0, directionalAccuracy: 0.5)
        _ = try stores.forecaster.registry.register(
            symbol: "XSSUSDT", horizonMinutes: 60, features: ["ret_1"],
            window: TrainingWindow(start: start, end: end, rows: 10, fingerprint: "fnv1a64:0000000000000000"),
            candidates: [ModelCandidate(model: .zero, parameters: ["note": script], validation: metrics, baseline: metrics)],
            createdAt: end)
        return MarketUIHarness(home: home, stores: stores)
    }

    /// Starts the API server (market API and pages, the engine's pages, a viewer, port 0) and runs
    /// `body` with a client holding a token; the server stops when `body` returns.
    func withServer(_ body: @Sendable (PageClient) async throws -> Void) async throws {
        let engineHome = home + "/engine-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: engineHome, withIntermediateDirectories: true)
        let store = try SQLiteStateStore(path: engineHome + "/updraft.db")
        let engine = Engine(
            home: EngineHome(engineHome), store: store, registry: try DAGRegistry([]), storePath: engineHome + "/updraft.db")
        try await store.saveUser(
            UserRecord(
                username: Self.username, passwordHash: PasswordHasher(cost: 4).hash(Self.password), role: .viewer, createdAt: Date()))
        var logger = Logger(label: "market-ui-tests")
        logger.logLevel = .warning
        var routes = MarketRoutes.routes
        routes.pages = EngineUI.pages + MarketPages.pages
        let server = try await APIServer.make(
            engine: engine, options: APIServerOptions(host: "127.0.0.1", port: 0, passwordHashCost: 4), routes: routes,
            resources: Resources([.value(stores)]), logger: logger)
        try await server.application().test(.live) { client in
            let login = try await client.execute(
                uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username": "\#(Self.username)", "password": "\#(Self.password)"}"#))
            #expect(login.status == .created)
            let object = try JSONSerialization.jsonObject(with: Data([UInt8](buffer: login.body))) as? [String: Any]
            let token = try #require(object?["access_token"] as? String)
            try await body(PageClient(client: client, token: token))
        }
    }
}

/// A test client with the viewer's token.
struct PageClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    func get(_ uri: String, authorized: Bool = true) async throws -> TestResponse {
        var headers = HTTPFields()
        if authorized { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// The HTML of a page answered 200.
    func page(_ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await get(uri)
        let body = String(buffer: response.body)
        #expect(response.status == .ok, "\(uri): \(body.prefix(2000))", sourceLocation: sourceLocation)
        return body
    }

    /// A JSON object answered 200.
    func json(_ uri: String) async throws -> [String: Any] {
        let response = try await get(uri)
        #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
        return try #require(try JSONSerialization.jsonObject(with: Data([UInt8](buffer: response.body))) as? [String: Any])
    }
}

/// The harness, built once for the suite (training takes a few seconds).
actor SharedMarketUIHome {
    static let shared = SharedMarketUIHome()
    private var built: MarketUIHarness?

    func harness() throws -> MarketUIHarness {
        if let built { return built }
        let harness = try MarketUIHarness.make()
        built = harness
        return harness
    }
}

/// Reading a page's markup in tests.
enum Markup {
    /// The attributes of the first `<tag …>` whose class attribute starts with `classes`.
    static func attributes(of tag: String, classes: String, in html: String) -> [String: String]? {
        guard let start = html.range(of: "<\(tag) class=\"\(classes)") else { return nil }
        let end = html[start.upperBound...].firstIndex(of: ">")!
        let text = String(html[start.lowerBound..<end])
        var attributes: [String: String] = [:]
        let pattern = try! Regex(#"([a-zA-Z-]+)="([^"]*)""#)
        for match in text.matches(of: pattern) {
            attributes[String(match.output[1].substring!)] = String(match.output[2].substring!)
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        return attributes
    }

    /// How many times `needle` occurs in `html`.
    static func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }
}
