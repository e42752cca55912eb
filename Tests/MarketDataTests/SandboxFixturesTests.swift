import ExchangeSandbox
import Foundation
import MarketData
import Testing

@testable import MarketCLI
@testable import UpdraftCLI

/// The real archive files ship inside the build (a resource of ExchangeSandbox), so the demo and
/// `updraft sandbox` serve them from any working directory and any clone, with nothing beside it.
@Suite struct SandboxFixturesTests {
    static let zips = [
        "1m/BTCUSDT-1m-2020-01-01.zip", "1m/BTCUSDT-1m-2020-01-02.zip", "1m/BTCUSDT-1m-2020-01-03.zip",
        "1h/BTCUSDT-1h-2026-05-08.zip", "1h/BTCUSDT-1h-2026-05-09.zip",
    ]

    @Test func theBundledArchiveHoldsEveryZipWithAMatchingChecksum() throws {
        for name in Self.zips {
            let zip = SandboxFixtures.file("data/spot/daily/klines/BTCUSDT/" + name)
            let checksum = try Data(contentsOf: URL(fileURLWithPath: zip.path + ".CHECKSUM"))
            try ArchiveChecksum.verify(
                zip: [UInt8](try Data(contentsOf: zip)), checksumFile: [UInt8](checksum),
                name: zip.lastPathComponent)
        }
        #expect(FileManager.default.fileExists(atPath: SandboxFixtures.binanceRoot + "/SOURCES.md"))
    }

    @Test func theDemoAndTheSandboxCommandServeTheBundledFiles() throws {
        #expect(DemoSettings().sandboxConfiguration().fixtureRoot == SandboxFixtures.binanceRoot)
        #expect(try SandboxCommand.parse([]).sandboxConfiguration().fixtureRoot == SandboxFixtures.binanceRoot)
        #expect(try SandboxCommand.parse(["--fixtures", "/tmp"]).sandboxConfiguration().fixtureRoot == "/tmp")
    }
}
