import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import MarketData

extension SandboxServer {
    /// `GET /data/spot/{monthly,daily}/klines/SYMBOL/INTERVAL/FILE.zip`: a fixture as it is, or a
    /// synthetic zip (one deflated CSV named like the zip, ms before 2025 and µs from 2025 as Binance
    /// writes them); 404 with S3's `NoSuchKey` when the file does not exist (yet).
    func archiveZip(key: String) -> SandboxReply {
        guard let file = archive.file(key: key, now: now) else { return .noSuchKey(key) }
        do {
            let zip = try archive.zipBytes(file, malformedLine: faultBoard.malformedLine(target: "/" + key))
            return SandboxReply(contentType: "application/zip", headers: [("ETag", SandboxArchive.etag(key))], body: zip)
        } catch {
            return .xml(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code><Message>\(xmlEscaped("\(error)"))</Message></Error>",
                status: .internalServerError)
        }
    }

    /// `GET ….zip.CHECKSUM`: `<sha256>  <name>` without a trailing newline (fixture checksums as they
    /// are); with a `wrongChecksum` fault, the hash of something else.
    func archiveChecksum(key: String, faults: [SandboxFault]) -> SandboxReply {
        guard let file = archive.file(key: key, now: now) else { return .noSuchKey(key) }
        let zipKey = String(key.dropLast(".CHECKSUM".count))
        let zipName = String(zipKey.split(separator: "/").last ?? "")
        var body: [UInt8]
        do {
            switch file {
            case .fixture(let path):
                body = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            case .synthetic:
                let zip = try archive.zipBytes(file, malformedLine: faultBoard.malformedLine(target: "/" + zipKey))
                body = SandboxArchive.checksumText(zip: zip, name: zipName)
            }
        } catch {
            return .noSuchKey(key)
        }
        if faults.contains(.wrongChecksum) {
            body = SandboxArchive.checksumText(zip: Array("not the zip".utf8), name: zipName)
        }
        return SandboxReply(contentType: "application/octet-stream", body: body)
    }

    /// `GET /data.binance.vision?prefix=…&delimiter=/&marker=…&max-keys=…`: S3 ListObjects v1 XML.
    func listing(_ query: FlatDictionary<Substring, Substring>) -> SandboxReply {
        let requested = query["max-keys"].flatMap { Int($0) } ?? configuration.listingMaxKeys
        let xml = archive.listBucket(
            prefix: query["prefix"].map(String.init) ?? "",
            delimiter: query["delimiter"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
            marker: query["marker"].map(String.init) ?? "",
            maxKeys: min(1_000, max(0, requested)), now: now)
        return .xml(xml)
    }
}
