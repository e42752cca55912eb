import Foundation
import Testing

@testable import MarketData

@Suite struct CodecChecksumTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func sha256MatchesFIPSVectors(text: String, digest: String) {
        #expect(ArchiveChecksum.sha256Hex(Array(text.utf8)) == digest)
    }

    @Test func sha256LongInputs() {
        #expect(
            ArchiveChecksum.sha256Hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let bytes = (0..<5).flatMap { _ in (0...255).map(UInt8.init) }
        #expect(ArchiveChecksum.sha256Hex(bytes) == "d414b085826eb06778483ba35564dc849e643359f69ed9747878ba6e54985bed")
    }

    @Test func everyFixtureZipMatchesItsChecksumWithOrWithoutNewline() throws {
        var sizes: Set<Int> = []
        for url in CodecFixtures.zips {
            let checksum = try CodecFixtures.bytes(URL(fileURLWithPath: url.path + ".CHECKSUM"))
            sizes.insert(checksum.count)
            try ArchiveChecksum.verify(zip: try CodecFixtures.bytes(url), checksumFile: checksum, name: url.path)
        }
        #expect(sizes == [91, 92])  // 2020 files have no newline, 2026 ones end in "\n"
        let zip = try CodecFixtures.bytes(CodecFixtures.zips[0])
        let text = "dd579c62368ded93d3f01a1904575b932279e32936e181c062763e605793c1c2  BTCUSDT-1m-2020-01-01.zip\r\n"
        try ArchiveChecksum.verify(zip: zip, checksumFile: Array(text.utf8), name: "BTCUSDT-1m-2020-01-01.zip")
    }

    @Test func badChecksumNamesTheFile() throws {
        var zip = try CodecFixtures.bytes(CodecFixtures.zips[0])
        let checksum = try CodecFixtures.bytes(URL(fileURLWithPath: CodecFixtures.zips[0].path + ".CHECKSUM"))
        zip[100] ^= 1
        let error = #expect(throws: ArchiveChecksumError.self) {
            try ArchiveChecksum.verify(zip: zip, checksumFile: checksum, name: "BTCUSDT-1m-2020-01-01.zip")
        }
        #expect(error?.name == "BTCUSDT-1m-2020-01-01.zip")
        #expect(error?.reason.hasPrefix("sha256 mismatch: CHECKSUM says dd579c62") == true)
        let wrongName = #expect(throws: ArchiveChecksumError.self) {
            try ArchiveChecksum.verify(zip: zip, checksumFile: checksum, name: "BTCUSDT-1m-2020-01-02.zip")
        }
        #expect(wrongName?.reason.contains("is for 'BTCUSDT-1m-2020-01-01.zip'") == true)
        #expect(throws: ArchiveChecksumError.self) {
            try ArchiveChecksum.verify(zip: zip, checksumFile: Array("nonsense".utf8), name: "a.zip")
        }
    }
}
