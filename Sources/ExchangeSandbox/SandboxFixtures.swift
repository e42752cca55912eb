import Foundation

/// The real Binance archive files that ship with the sandbox (five BTCUSDT daily zips with their
/// `.CHECKSUM`s, 2020 in milliseconds and 2026 in microseconds; provenance in
/// `Fixtures/binance/SOURCES.md`). They are a SwiftPM resource of this target, so a built
/// `updraft` finds them wherever it runs, with no checkout of anything else beside it.
///
/// ```swift
/// let sandbox = SandboxServer(configuration: SandboxConfiguration(fixtureRoot: SandboxFixtures.binanceRoot))
/// ```
public enum SandboxFixtures {
    /// The folder laid out like the archive (`data/spot/daily/klines/BTCUSDT/1m/…zip`), to pass
    /// as ``SandboxConfiguration/fixtureRoot``.
    public static let binanceRoot: String = {
        guard let url = Bundle.module.url(forResource: "binance", withExtension: nil) else {
            fatalError("the ExchangeSandbox resource bundle \(Bundle.module.bundlePath) has no binance folder")
        }
        return url.path
    }()

    /// The bundled archive file at `key` (e.g. `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip`).
    public static func file(_ key: String) -> URL {
        URL(fileURLWithPath: binanceRoot).appendingPathComponent(key)
    }
}
