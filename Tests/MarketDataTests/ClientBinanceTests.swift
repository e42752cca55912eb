import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

@Suite("Binance REST client against the sandbox")
struct ClientBinanceTests {
    let configuration = SandboxTestSupport.configuration()
    var sandbox: SandboxServer { SandboxServer(configuration: configuration) }

    func binance(_ endpoints: SandboxEndpoints, now: Date? = nil, http: HTTPClient = SandboxTestSupport.client()) -> BinanceRESTClient {
        let clock = now ?? configuration.now!
        return BinanceRESTClient(configuration: .init(baseURL: endpoints.binance, now: { clock }), http: http)
    }

    @Test func usdtPairsAreTheLiveSpotOnes() async throws {
        let server = sandbox
        let pairs = try await server.withRunning { try await binance($0).usdtPairs() }
        let expected = Set(server.coins.filter { $0.usdtPair == .trading }.map(\.pairSymbol))
        #expect(pairs == expected)
        #expect(pairs.contains("BTCUSDT") && pairs.contains("USDCUSDT") && pairs.contains("SHIBUSDT"))
        #expect(!pairs.contains("XMRUSDT"))  // listed, status BREAK
        #expect(!pairs.contains("ETHBTC") && !pairs.contains("USDTTRY") && !pairs.contains("LEOUSDT"))
    }

    @Test func historicalPagesPast1000() async throws {
        let pages = PageLog()
        let start = SandboxTestSupport.date("2024-03-01T00:00:00Z"), end = SandboxTestSupport.date("2024-03-03T00:00:00Z")
        let klines = try await sandbox.withRunning { endpoints in
            try await binance(endpoints).historical(symbol: "BTCUSDT", start: start, end: end, interval: .oneMinute) {
                await pages.add($0.count)
            }
        }
        #expect(await pages.sizes == [1_000, 1_000, 880])
        #expect(klines.count == 2_880)
        #expect(klines.first?.openTime == Int64(start.timeIntervalSince1970) * 1_000_000)
        #expect(zip(klines, klines.dropFirst()).allSatisfy { $1.openTime - $0.openTime == 60_000_000 })
        #expect(klines.allSatisfy { $0.closeTime == $0.openTime + 59_999_000 && $0.low <= $0.open && $0.open <= $0.high })
    }

    @Test func stillOpenBarIsDropped() async throws {
        // The sandbox's now is 12:00:30, so the 12:00 bar is still open.
        let klines = try await sandbox.withRunning { endpoints in
            try await binance(endpoints).historical(
                symbol: "ETHUSDT", start: SandboxTestSupport.date("2024-03-10T11:00:00Z"),
                end: SandboxTestSupport.date("2024-03-10T13:00:00Z"), interval: .oneMinute)
        }
        #expect(klines.count == 60)
        #expect(klines.last?.openTime == Int64(SandboxTestSupport.date("2024-03-10T11:59:00Z").timeIntervalSince1970) * 1_000_000)
    }

    @Test func hourlyBarsAggregateTheMinutes() async throws {
        let start = SandboxTestSupport.date("2024-02-10T00:00:00Z"), end = SandboxTestSupport.date("2024-02-10T02:00:00Z")
        let (hours, minutes) = try await sandbox.withRunning { endpoints in
            (
                try await binance(endpoints).historical(symbol: "SOLUSDT", start: start, end: end, interval: .oneHour),
                try await binance(endpoints).historical(symbol: "SOLUSDT", start: start, end: end, interval: .oneMinute)
            )
        }
        #expect(hours.count == 2)
        let first = minutes.prefix(60)
        #expect(hours[0].open == first.first?.open && hours[0].close == first.last?.close)
        #expect(hours[0].high == first.map(\.high).max() && hours[0].low == first.map(\.low).min())
        #expect(hours[0].volume.units == first.reduce(0) { $0 + $1.volume.units })
        #expect(hours[0].trades == first.reduce(0) { $0 + $1.trades })
    }

    @Test func serverErrorDuringPagingIsRetried() async throws {
        let server = sandbox
        server.inject(.status(502), on: .klines, matching: "startTime=", times: 1)
        let klines = try await server.withRunning { endpoints in
            try await binance(endpoints).historical(
                symbol: "BTCUSDT", start: SandboxTestSupport.date("2024-03-01T00:00:00Z"),
                end: SandboxTestSupport.date("2024-03-01T20:00:00Z"), interval: .oneMinute)
        }
        #expect(klines.count == 1_200)
        #expect(server.armedFaults.isEmpty)
    }

    @Test func unknownSymbolIsABinanceError() async throws {
        let error = await #expect(throws: HTTPError.self) {
            try await sandbox.withRunning { try await binance($0).klines(symbol: "DOESNOTEXIST", interval: .oneMinute) }
        }
        #expect(error?.serverError?.code == -1121)
    }

    @Test func restKlinesEqualArchiveKlinesInBothTimeEras() async throws {
        let server = SandboxServer(
            configuration: SandboxTestSupport.configuration(
                now: "2025-01-05T00:00:00Z", historyStart: "2024-12-20T00:00:00Z"))
        let http = SandboxTestSupport.client()
        for day in ["2024-12-31", "2025-01-01"] {
            let start = SandboxTestSupport.date(day + "T00:00:00Z")
            let (rest, archived) = try await server.withRunning { endpoints in
                let rest = try await BinanceRESTClient(configuration: .init(baseURL: endpoints.binance), http: http)
                    .historical(symbol: "BNBUSDT", start: start, end: start.addingTimeInterval(86_400), interval: .oneMinute)
                let archive = BinanceArchiveClient(
                    configuration: .init(baseURL: endpoints.archive, listingURL: endpoints.listing), http: http)
                let download = try await archive.download(try KlineFileName(parsing: "BNBUSDT-1m-\(day).zip"))
                return (rest, try download.klines())
            }
            #expect(rest.count == 1_440)
            #expect(rest == archived, "REST and archive differ on \(day)")
        }
    }
}

/// Page sizes seen by `historical`'s callback.
actor PageLog {
    var sizes: [Int] = []
    func add(_ size: Int) { sizes.append(size) }
}
