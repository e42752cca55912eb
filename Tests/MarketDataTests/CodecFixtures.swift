import ExchangeSandbox
import Foundation

/// The real Binance files the codec, warehouse and CLI tests read, all inside the repository:
/// the zips are the sandbox's bundled resource (`Sources/ExchangeSandbox/Fixtures/binance`),
/// the unzipped CSVs are test-only (`Tests/Fixtures/binance/csv`).
enum CodecFixtures {
    /// `Tests/Fixtures/binance`, found from this file.
    static let testFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/binance")

    /// The real spot zips, each with its CHECKSUM beside it.
    static var zips: [URL] {
        [
            "1m/BTCUSDT-1m-2020-01-01.zip", "1m/BTCUSDT-1m-2020-01-02.zip", "1m/BTCUSDT-1m-2020-01-03.zip",
            "1h/BTCUSDT-1h-2026-05-08.zip", "1h/BTCUSDT-1h-2026-05-09.zip",
        ]
        .map { SandboxFixtures.file("data/spot/daily/klines/BTCUSDT/" + $0) }
    }

    /// The real unzipped CSVs.
    static var csvs: [URL] {
        ["BTCUSDT-1m-2024-09-21.csv", "BTCUSDT-1h-2024-08.csv"].map { testFixtures.appendingPathComponent("csv/" + $0) }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    /// The inputs that once found a bug in fuzz target `target` (`Tests/fuzz/corpus/<target>/`).
    static func fuzzCorpus(_ target: String) throws -> [URL] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/corpus/" + target)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A zip written by Python's `zipfile`: `stored.txt` (stored, "hello, stored\n") and
    /// `dir/deflated.txt` (deflate, "abc" × 100).
    static let pythonZip: [UInt8] = hex(
        "504b030414000000000000502f5863ab158f0e0000000e0000000a00000073746f7265642e74787468656c6c6f2c2073746f7265640a504b030414000000080000502f5884b8c4d0090000002c010000100000006469722f6465666c617465642e7478744b4c4a4e1c45c42100504b0102140314000000000000502f5863ab158f0e0000000e0000000a000000000000000000000080010000000073746f7265642e747874504b0102140314000000080000502f5884b8c4d0090000002c0100001000000000000000000000008001360000006469722f6465666c617465642e747874504b05060000000002000200760000006d0000000000"
    )

    static func hex(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            out.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}
