import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

@Suite("Binance archive client against the sandbox")
struct ClientArchiveTests {
    let sandbox = SandboxServer(configuration: SandboxTestSupport.configuration(fixtures: true))
    let http = SandboxTestSupport.client()

    func archive(_ endpoints: SandboxEndpoints) -> BinanceArchiveClient {
        BinanceArchiveClient(configuration: .init(baseURL: endpoints.archive, listingURL: endpoints.listing), http: http)
    }

    func name(_ text: String) throws -> KlineFileName { try KlineFileName(parsing: text) }

    @Test func listingPagesPastMaxKeys() async throws {
        let (paged, whole, monthly) = try await sandbox.withRunning { endpoints in
            (
                try await archive(endpoints).files(symbol: "ETHUSDT", interval: .oneMinute, daily: true, maxKeys: 7),
                try await archive(endpoints).files(symbol: "ETHUSDT", interval: .oneMinute, daily: true),
                try await archive(endpoints).files(symbol: "ETHUSDT", interval: .oneMinute, daily: false)
            )
        }
        // 2024-01-01 … 2024-03-09: 31 + 29 + 9 complete days before now (2024-03-10 12:00).
        #expect(paged.count == 69)
        #expect(paged == whole)
        #expect(paged.first?.name.zipName == "ETHUSDT-1m-2024-01-01.zip")
        #expect(paged.last?.name.zipName == "ETHUSDT-1m-2024-03-09.zip")
        #expect(paged.allSatisfy { $0.hasChecksum && ($0.size ?? 0) > 0 && $0.etag?.count == 32 })
        #expect(monthly.map(\.name.zipName) == ["ETHUSDT-1m-2024-01.zip", "ETHUSDT-1m-2024-02.zip"])
    }

    @Test func symbolFoldersAreListed() async throws {
        let symbols = try await sandbox.withRunning { try await archive($0).symbols(daily: true) }
        let expected = Set(sandbox.coins.filter { $0.usdtPair == .trading }.map(\.pairSymbol))
        #expect(Set(symbols) == expected)
        #expect(symbols == symbols.sorted())
    }

    @Test func realFixturesAreListedAndServedAsTheyAre() async throws {
        let fixture = URL(fileURLWithPath: SandboxTestSupport.fixtureRoot)
            .appendingPathComponent("data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip")
        let (files, download) = try await sandbox.withRunning { endpoints in
            (
                try await archive(endpoints).files(symbol: "BTCUSDT", interval: .oneMinute, daily: true),
                try await archive(endpoints).download(try name("BTCUSDT-1m-2020-01-01.zip"))
            )
        }
        #expect(
            files.prefix(3).map(\.name.zipName) == ["BTCUSDT-1m-2020-01-01.zip", "BTCUSDT-1m-2020-01-02.zip", "BTCUSDT-1m-2020-01-03.zip"])
        #expect(files.count == 3 + 69)
        #expect(download.zip == [UInt8](try Data(contentsOf: fixture)))
        let klines = try download.klines()
        #expect(klines.count == 1_440)
        #expect(klines.first?.open == (try FixedDecimal(parsing: "7195.24000000")))
    }

    @Test func restServesTheFixtureMinutesToo() async throws {
        let start = SandboxTestSupport.date("2020-01-02T00:00:00Z")
        let (rest, archived) = try await sandbox.withRunning { endpoints in
            let binance = BinanceRESTClient(configuration: .init(baseURL: endpoints.binance), http: http)
            return (
                try await binance.historical(symbol: "BTCUSDT", start: start, end: start.addingTimeInterval(86_400), interval: .oneMinute),
                try await archive(endpoints).download(try name("BTCUSDT-1m-2020-01-02.zip")).klines()
            )
        }
        #expect(rest.count == 1_440)
        #expect(rest == archived)
    }

    @Test func fileBeforeListingIs404() async throws {
        let missing = try await sandbox.withRunning { try await archive($0).downloadIfPresent(try name("NEARUSDT-1m-2024-01-05.zip")) }
        #expect(missing == nil)  // NEAR lists 20 days after history starts
    }

    @Test func serverErrorOnAZipIsRetried() async throws {
        sandbox.inject(.status(503), on: .archiveZip, times: 2)
        let download = try await sandbox.withRunning { try await archive($0).download(try name("SOLUSDT-1m-2024-02-01.zip")) }
        #expect(try download.klines().count == 1_440)
    }

    @Test func wrongChecksumFailsAndNothingIsStored() async throws {
        sandbox.inject(.wrongChecksum, on: .archiveChecksum, matching: "BTCUSDT-1m-2024-02-02", times: nil)
        let file = try name("BTCUSDT-1m-2024-02-02.zip")
        let warehouse = try SandboxTestSupport.warehouse()
        let (error, results) = try await sandbox.withRunning { endpoints in
            let client = archive(endpoints)
            let error = await #expect(throws: ArchiveChecksumError.self) { try await client.download(file) }
            // Even handed over unverified, the warehouse refuses it in its own transaction.
            let zip = try await http.get(client.url(of: file)).body
            let checksum = try await http.get(client.url(of: file, checksum: true)).body
            return (error, warehouse.importArchives([.bytes(name: file.zipName, bytes: zip, checksum: checksum)]))
        }
        #expect(error?.name == "BTCUSDT-1m-2024-02-02.zip")
        #expect(error?.description.contains("sha256 mismatch") == true)
        #expect(results.count == 1)
        guard case .failure(let failure) = results.first else { Issue.record("import succeeded"); return }
        #expect(failure.description.contains("BTCUSDT-1m-2024-02-02.zip"))
        #expect(try warehouse.stats().isEmpty)
    }

    @Test func truncatedZipFailsClearlyAndNothingIsStored() async throws {
        sandbox.inject(.truncatedBody(bytes: 4_000), on: .archiveZip, matching: "DOGEUSDT-1m-2024-02-03", times: nil)
        let file = try name("DOGEUSDT-1m-2024-02-03.zip")
        let warehouse = try SandboxTestSupport.warehouse()
        let (error, results) = try await sandbox.withRunning { endpoints in
            let client = archive(endpoints)
            let error = await #expect(throws: ArchiveChecksumError.self) { try await client.download(file) }
            let zip = try await http.get(client.url(of: file)).body
            return (error, warehouse.importArchives([.bytes(name: file.zipName, bytes: zip, checksum: nil)]))
        }
        #expect(error?.description.contains("DOGEUSDT-1m-2024-02-03.zip") == true)
        #expect(error?.description.contains("the zip itself is unreadable") == true)
        #expect(error?.description.contains("4000 bytes") == true)
        guard case .failure(let failure) = results.first else { Issue.record("import succeeded"); return }
        #expect(failure.description.contains("DOGEUSDT-1m-2024-02-03.zip"))
        #expect(try warehouse.stats().isEmpty)
    }

    @Test func malformedRowNamesFileAndLineAndNothingIsStored() async throws {
        sandbox.inject(.malformedRow(line: 5), on: .archiveZip, matching: "ADAUSDT-1m-2024-02-04")
        let bad = try name("ADAUSDT-1m-2024-02-04.zip"), good = try name("ADAUSDT-1m-2024-02-05.zip")
        let warehouse = try SandboxTestSupport.warehouse()
        let (badDownload, goodDownload) = try await sandbox.withRunning { endpoints in
            (try await archive(endpoints).download(bad), try await archive(endpoints).download(good))
        }
        // The checksum matches the corrupted zip, so only parsing finds the bad row.
        let error = #expect(throws: KlineCSVError.self) { try badDownload.klines() }
        #expect(error?.line == 5)
        #expect(error?.source.contains("ADAUSDT-1m-2024-02-04") == true)
        let results = warehouse.importArchives([badDownload.importSource, goodDownload.importSource])
        guard case .failure(let failure) = results.first, case .success(let load) = results.last else {
            Issue.record("expected the bad file to fail and the good one to load: \(results)")
            return
        }
        #expect(failure.description.contains("ADAUSDT-1m-2024-02-04"))
        #expect(failure.description.contains("line 5"))
        #expect(load.rows == 1_440)
        let stored = try warehouse.klines(symbol: "ADAUSDT")
        #expect(stored.count == 1_440)
        #expect(stored.allSatisfy { good.period.contains($0.openTime) })
    }

    @Test func streamedDownloadIsVerifiedOnDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        sandbox.inject(.wrongChecksum, on: .archiveChecksum, matching: "LINKUSDT-1m-2024-01.zip")
        let (path, error) = try await sandbox.withRunning { endpoints in
            let client = archive(endpoints)
            let path = try await client.download(try name("XRPUSDT-1m-2024-01.zip"), into: directory.path)
            let error = await #expect(throws: ArchiveChecksumError.self) {
                try await client.download(try name("LINKUSDT-1m-2024-01.zip"), into: directory.path)
            }
            return (path, error)
        }
        #expect(error != nil)
        let warehouse = try SandboxTestSupport.warehouse()
        let results = warehouse.importArchives([.file(path: path)])
        guard case .success(let load) = results.first else { Issue.record("import failed: \(results)"); return }
        #expect(load.checksumVerified)
        #expect(load.rows == 31 * 1_440)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("LINKUSDT-1m-2024-01.zip").path))
    }
}
