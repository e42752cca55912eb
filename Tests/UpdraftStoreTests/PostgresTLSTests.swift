import Foundation
import Testing
import UpdraftPostgres
import UpdraftStore

/// TLS against a server of its own (the test cluster has none): a throw-away cluster with a
/// self-signed certificate for `localhost`, started with the binaries `with-cluster` names.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["UPDRAFT_TEST_POSTGRES_BIN"] != nil
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"))
)
struct PostgresTLSTests {
    /// Runs a command (as the `postgres` user when root: the server refuses root); throws with its
    /// output. `posix_spawn` and `waitpid`, not `Process`: Foundation watches a child through a
    /// descriptor that the server `pg_ctl` leaves running would inherit and keep open.
    @discardableResult
    static func run(_ arguments: [String], asServer: Bool = false) throws -> String {
        var command = arguments
        if asServer, getuid() == 0 { command = ["/usr/sbin/runuser", "-u", "postgres", "--"] + command }
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-tls-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }  // a scratch file
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw StoreError.database("cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw StoreError.database("\(command.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }

    @Test func tlsIsVerifiedAsSSLModeSays() async throws {
        let bin = try #require(ProcessInfo.processInfo.environment["UPDRAFT_TEST_POSTGRES_BIN"])
        let folder = "/tmp/updraft-tls-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }  // a throw-away folder
        let certificate = folder + "/server.crt", key = folder + "/server.key"
        try Self.run([
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        if getuid() == 0 { try Self.run(["/usr/bin/chown", "-R", "postgres", folder]) }
        try Self.run(
            ["\(bin)/initdb", "-D", folder + "/data", "-U", "updraft", "-A", "trust", "-E", "UTF8", "--no-locale"], asServer: true)
        let port = try PostgresStoreTests.closedPort()
        try Self.run(
            [
                "\(bin)/pg_ctl", "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "start", "-o",
                "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=\(certificate) -c ssl_key_file=\(key)",
            ], asServer: true)
        defer { _ = try? Self.run(["\(bin)/pg_ctl", "-D", folder + "/data", "-m", "immediate", "stop"], asServer: true) }

        // Verified chain and host name: the connection is encrypted.
        let verified = try await PostgresStateStore.connect(
            url: "postgresql://updraft@localhost:\(port)/postgres?sslmode=verify-full&sslrootcert=\(certificate)")
        #expect(try await verified.pools() == [PoolRecord.defaultPool])
        await verified.close()
        // `require` encrypts without checking the certificate (as libpq).
        let unverified = try await PostgresStateStore.connect(url: "postgresql://updraft@127.0.0.1:\(port)/postgres?sslmode=require")
        await unverified.close()
        // The certificate names localhost, not 127.0.0.1: verify-ca accepts it, verify-full does not.
        let chainOnly = try await PostgresStateStore.connect(
            url: "postgresql://updraft@127.0.0.1:\(port)/postgres?sslmode=verify-ca&sslrootcert=\(certificate)")
        await chainOnly.close()
        await #expect {
            _ = try await PostgresStateStore.connect(
                url: "postgresql://updraft@127.0.0.1:\(port)/postgres?sslmode=verify-full&sslrootcert=\(certificate)")
        } throws: { error in
            "\(error)".contains("127.0.0.1:\(port)")
        }
        // A self-signed certificate is no trusted root of the system's.
        await #expect {
            _ = try await PostgresStateStore.connect(url: "postgresql://updraft@localhost:\(port)/postgres?sslmode=verify-full")
        } throws: { error in
            "\(error)".contains("localhost:\(port)")
        }
    }
}
