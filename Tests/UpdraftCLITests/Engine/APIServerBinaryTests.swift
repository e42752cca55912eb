import Foundation
import Testing

/// `api-server`, `standalone` and `users` through the real binary (the API fixture's DAGs):
/// the first admin of `standalone`, passwords from a pipe, HTTPS, the non-loopback warning.
@Suite(.serialized) struct APIServerBinaryTests {
    /// Runs to the end with `input` on standard input.
    static func run(_ harness: BinaryHarness, _ arguments: [String], input: String) throws -> BinaryHarness.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: harness.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["UPDRAFT_HOME": harness.home]) { $1 }
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Lines of `pipe` until one contains `marker` (blocking; the server prints it once bound).
    static func lines(of pipe: Pipe, until marker: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        while let chunk = try? pipe.fileHandleForReading.read(upToCount: 1), let byte = chunk.first {
            if byte == 0x0A {
                lines.append(String(decoding: current, as: UTF8.self))
                current = []
                if lines.last!.contains(marker) { break }
            } else {
                current.append(byte)
            }
        }
        return lines
    }

    /// `curl` (Debian's), for HTTPS with a self-signed certificate too: status and body.
    static func curl(_ arguments: [String]) throws -> (Int, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-k", "-w", "\n%{http_code}"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let status = Int(text.split(separator: "\n").last ?? "") ?? 0
        return (status, text.split(separator: "\n").dropLast().joined(separator: "\n"))
    }

    static func address(in lines: [String]) -> String? {
        guard let line = lines.last, let range = line.range(of: "://") else { return nil }
        let scheme = line[..<range.lowerBound].split(separator: " ").last ?? "http"
        let rest = line[range.upperBound...].prefix { !$0.isWhitespace }
        return "\(scheme)://\(rest)"
    }

    @Test func standaloneCreatesTheFirstAdminOnceAndItsPasswordWorks() throws {
        let harness = try BinaryHarness(product: "updraft-api-fixture")
        try "api:\n  bcrypt_cost: 4\n".write(toFile: harness.home + "/updraft.yaml", atomically: true, encoding: .utf8)
        chmod(harness.home + "/updraft.yaml", 0o600)
        let (first, out, _) = try harness.start(["standalone", "--port", "0", "--parallelism", "1"])
        let lines = Self.lines(of: out, until: "listening on")
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let created = try #require(lines.first { $0.hasPrefix("Created user 'admin'") })
        let password = String(created.split(separator: " ").last ?? "")
        #expect(password.count == 20)
        let url = try #require(Self.address(in: lines))

        // Started again on the same store: no new admin, the same password still logs in.
        let (second, out2, err2) = try harness.start(["standalone", "--port", "0", "--parallelism", "1"])
        let again = Self.lines(of: out2, until: "listening on")
        #expect(!again.contains { $0.contains("Created user") })
        let url2 = try #require(Self.address(in: again))
        let (status, body) = try Self.curl([
            "-X", "POST", url2 + "/auth/token", "-H", "Content-Type: application/json",
            "-d", #"{"username": "admin", "password": "\#(password)"}"#,
        ])
        second.terminate()
        second.waitUntilExit()
        #expect(status == 201, "\(body)")
        #expect(body.contains("access_token"))
        #expect(url.hasPrefix("http://127.0.0.1:"))
        // The password was shown once on stdout, and never in the server's log.
        let log = String(decoding: err2.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!log.contains(password))
    }

    @Test func usersTakeOnePipedLineRefuseShortPasswordsAndNeverShowHashes() throws {
        let harness = try BinaryHarness(product: "updraft-api-fixture")
        try "api:\n  bcrypt_cost: 4\n".write(toFile: harness.home + "/updraft.yaml", atomically: true, encoding: .utf8)
        chmod(harness.home + "/updraft.yaml", 0o600)
        let short = try Self.run(harness, ["users", "add", "ann", "--role", "op"], input: "short\n")
        #expect(short.status == 2)
        #expect(short.stderr.contains("at least 8 characters"))
        let added = try Self.run(harness, ["users", "add", "ann", "--role", "op"], input: "long-enough-password\n")
        #expect(added.status == 0, "\(added.stderr)")
        let duplicate = try Self.run(harness, ["users", "add", "ann"], input: "long-enough-password\n")
        #expect(duplicate.status == 2 && duplicate.stderr.contains("already exists"))
        let list = try harness.run(["users", "list", "--json"])
        #expect(list.stdout.contains("\"role\" : \"op\"") || list.stdout.contains("\"role\":\"op\""), "\(list.stdout)")
        #expect(!list.stdout.contains("$2"))  // no bcrypt hash
        #expect(try harness.run(["users", "revoke", "ann"]).status == 0)
        #expect(try harness.run(["users", "remove", "ann"]).status == 0)
        #expect(try harness.run(["users", "remove", "ann"]).status == 2)
        let events = try harness.run(["events", "list", "--json"])
        #expect(events.stdout.contains("set_user") && events.stdout.contains("delete_user"))
        #expect(!events.stdout.contains("long-enough-password"))
    }

    @Test func servesHTTPSWithTheGivenCertificate() throws {
        let harness = try BinaryHarness(product: "updraft-api-fixture")
        let key = harness.home + "/key.pem", certificate = harness.home + "/cert.pem"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        let (server, out, _) = try harness.start(["api-server", "--port", "0", "--tls-cert", certificate, "--tls-key", key])
        let lines = Self.lines(of: out, until: "listening on")
        let url = try #require(Self.address(in: lines))
        let (status, body) = try Self.curl([url + "/api/v2/version"])
        let (plain, _) = try Self.curl([url.replacingOccurrences(of: "https://", with: "http://") + "/api/v2/version"])
        server.terminate()
        server.waitUntilExit()
        #expect(url.hasPrefix("https://127.0.0.1:"))
        #expect(status == 200 && body.contains("\"version\""))
        #expect(plain != 200)
    }

    @Test func aNonLoopbackAddressWithoutTLSIsWarnedAbout() throws {
        let harness = try BinaryHarness(product: "updraft-api-fixture")
        let (server, out, err) = try harness.start(["api-server", "--host", "0.0.0.0", "--port", "0"])
        _ = Self.lines(of: out, until: "listening on")
        server.terminate()
        server.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("warning: the API server listens on 0.0.0.0 without TLS"))
        #expect(server.terminationStatus == 0)
    }
}
