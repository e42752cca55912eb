import Foundation
import GRDB
import Testing
import UpdraftCore
import UpdraftPostgres
import UpdraftStore

/// What only PostgreSQL has: URLs and secrets, concurrent processes on one database (migrations,
/// leases, run creation, outbox claims), TLS refusal, and the copy to and from a SQLite file.
@Suite struct PostgresStoreTests {
    static let available = PostgresTestDatabase.adminURL != nil
    static let t0 = Date(timeIntervalSince1970: 1_704_067_200)

    /// CI runs the PostgreSQL tests or fails: it never skips them silently.
    @Test func ciHasAPostgreSQLServer() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(Self.available, "CI=true but UPDRAFT_TEST_POSTGRES_URL is not set: run the tests under Tests/postgres/with-cluster")
        }
    }

    @Test func urlsParseWithDefaultsAndPercentDecoding() throws {
        let url = try PostgresURL("postgresql://app:p%40ss%3Aw%2Fd@db.example.com:6432/state?sslmode=verify-full&application_name=updraft")
        #expect(url.user == "app")
        #expect(url.password == "p@ss:w/d")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6432)
        #expect(url.database == "state")
        #expect(url.sslMode == .verifyFull)
        #expect(url.applicationName == "updraft")
        let short = try PostgresURL("postgres://updraft@localhost")
        #expect(short.port == 5432)
        #expect(short.database == "updraft")
        #expect(short.sslMode == .prefer)
        #expect(short.password == nil)
        let v6 = try PostgresURL("postgresql://u@[::1]:5433/d?sslmode=disable")
        #expect(v6.host == "::1")
        #expect(v6.port == 5433)
        #expect(v6.server == "[::1]:5433")
    }

    @Test func thePasswordIsNeverShown() throws {
        let url = try PostgresURL("postgresql://app:hunter2-secret@db:5432/state?sslmode=require")
        for text in [
            url.description, url.redacted, String(reflecting: url), "\(url)",
            {
                var s = ""; dump(url, to: &s); return s
            }(),
        ] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(url.description == "postgresql://app:***@db:5432/state?sslmode=require")
        // A bad port or parameter next to a password: the error names the part, not the password.
        for bad in [
            "postgresql://app:hunter2-secret@db:99999/state", "postgresql://app:hunter2-secret@db/state?sslmode=always",
            "postgresql://app:hunter2%zz@db/state", "postgresql://app:hunter2-secret@db/state?password=x",
        ] {
            #expect {
                try PostgresURL(bad)
            } throws: { error in
                "\(error)".contains("invalid PostgreSQL URL") && !"\(error)".contains("hunter2")
            }
        }
    }

    @Test func aBadURLNamesThePartAtFault() {
        let cases: [(String, String)] = [
            ("mysql://u@h/d", "scheme"), ("postgresql://h/d", "user"), ("postgresql://u@:5432/d", "host"),
            ("postgresql://u@h:port/d", "port"), ("postgresql://u@h/d?sslmode=sometimes", "sslmode"),
            ("postgresql://u@h/d?colour=blue", "query"), ("postgresql://u@[::1/d", "host"),
        ]
        for (text, part) in cases {
            #expect {
                try PostgresURL(text)
            } throws: { error in
                (error as? PostgresURLError)?.part == part
            }
        }
    }

    /// Errors of a connection that fails carry the server, never the password.
    @Test(.enabled(if: available)) func connectionErrorsNameTheServerNotThePassword() async throws {
        var url = try PostgresURL(try #require(PostgresTestDatabase.adminURL))
        url.password = "hunter2-secret"
        url.sslMode = .require
        do {
            _ = try await PostgresStateStore.connect(url: url)
            Issue.record("sslmode=require connected to a server without TLS")
        } catch {
            let text = "\(error)"
            #expect(text.contains("\(url.host):\(url.port)"), "\(text)")
            #expect(text.contains("TLS"), "\(text)")
            #expect(!text.contains("hunter2"), "\(text)")
        }
        url.sslMode = .disable
        url.port = try Self.closedPort()
        do {
            _ = try await PostgresStateStore.connect(url: url)
            Issue.record("connected to a closed port")
        } catch {
            let text = "\(error)"
            #expect(text.contains("127.0.0.1:\(url.port)"), "\(text)")
            #expect(!text.contains("hunter2"), "\(text)")
        }
    }

    /// A root certificate file that cannot be read is named before any connection is tried.
    @Test func anUnreadableRootCertificateIsNamed() async throws {
        let url = try PostgresURL("postgresql://u:hunter2@127.0.0.1:1/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
        await #expect {
            _ = try await PostgresStateStore.connect(url: url)
        } throws: { error in
            (error as? PostgresURLError)?.part == "sslrootcert" && "\(error)".contains("/nonexistent/ca.pem")
        }
    }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Processes opening a fresh database at once apply each migration once (the advisory lock).
    @Test(.enabled(if: available)) func concurrentOpenersMigrateOnce() async throws {
        let url = try await PostgresTestDatabase.create()
        let stores = try await withThrowingTaskGroup(of: PostgresStateStore.self) { group in
            for _ in 0..<6 { group.addTask { try await PostgresStateStore.connect(url: url, maximumConnections: 2) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 6)
        for store in stores {
            #expect(try await store.pendingMigrations().isEmpty)
            #expect(try await store.migrate().isEmpty)
        }
        #expect(try await stores[0].pools() == [PoolRecord.defaultPool])
        for store in stores { await store.close() }
    }

    /// Two schedulers (two pools, two hosts) racing for the same runs: exactly one wins each.
    @Test(.enabled(if: available)) func twoAcquirersOfARunGetOneWinner() async throws {
        let url = try await PostgresTestDatabase.create()
        let a = try await PostgresStateStore.connect(url: url, maximumConnections: 4, localHost: "host-a")
        let b = try await PostgresStateStore.connect(url: url, maximumConnections: 4, localHost: "host-b")
        let owners = [ProcessIdentity(pid: 1, startTime: 1, host: "host-a"), ProcessIdentity(pid: 1, startTime: 1, host: "host-b")]
        for index in 0..<20 {
            let run = RunKey("etl", "r\(index)")
            let outcomes = try await withThrowingTaskGroup(of: LeaseOutcome.self) { group in
                for (store, owner) in zip([a, b], owners) {
                    group.addTask {
                        try await store.acquireLease(run: run, owner: owner, now: Self.t0, timeout: 30, isAlive: { _ in true })
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap(\.token)
            #expect(winners.count == 1, "run \(index): \(outcomes)")
            #expect(winners.first?.fencingToken == 1)
            #expect(outcomes.contains(.heldBy(winners[0].owner)))
        }
        await a.close()
        await b.close()
    }

    /// Of processes creating the same run at once, one creates it and the others get `duplicateRun`.
    @Test(.enabled(if: available)) func concurrentCreatorsOfARunGetOneDuplicateEach() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        let run = StateStoreTests.run("r1")
        let results = await withTaskGroup(of: Result<Void, StoreError>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do {
                        try await store.createRun(run, instances: [TaskInstance(runId: "r1", dagId: "etl", taskId: "t")])
                        return .success(())
                    } catch let error as StoreError { return .failure(error) } catch { return .failure(.database("\(error)")) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1)
        #expect(results.filter { if case .failure(.duplicateRun(run.key)) = $0 { true } else { false } }.count == 7)
        #expect(try await store.taskInstances(run: run.key).count == 1)
    }

    /// After a takeover on another host the old owner can neither commit, renew nor release; an
    /// owner on another host is never asked `isAlive` (its pid means nothing here).
    @Test(.enabled(if: available)) func aTakeoverFencesTheOldOwnerOut() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        let key = RunKey("etl", "r")
        try await store.createRun(StateStoreTests.run("r"), instances: [TaskInstance(runId: "r", dagId: "etl", taskId: "t")])
        let remote = ProcessIdentity(pid: 7, startTime: 1, host: "far-away")
        let local = ProcessIdentity(pid: 8, startTime: 1, host: "h")
        let old = try #require(
            try await store.acquireLease(run: key, owner: remote, now: Self.t0, timeout: 30, isAlive: { _ in true }).token)
        // Dead by its pid, but on another host: only its expiry counts.
        #expect(
            try await store.acquireLease(run: key, owner: local, now: Self.t0.addingTimeInterval(10), timeout: 30, isAlive: { _ in false })
                == .heldBy(remote))
        let new = try #require(
            try await store.acquireLease(run: key, owner: local, now: Self.t0.addingTimeInterval(31), timeout: 30, isAlive: { _ in true })
                .token)
        #expect(new.fencingToken == old.fencingToken + 1)
        var batch = StateBatch()
        batch.instances = [TaskInstance(runId: "r", dagId: "etl", taskId: "t", state: .success, tryNumber: 1)]
        batch.fence = old
        await #expect(throws: StoreError.leaseLost(key, remote)) { try await store.commit(batch) }
        await #expect(throws: StoreError.leaseLost(key, remote)) { try await store.renewLease(old, now: Self.t0, timeout: 30) }
        await #expect(throws: StoreError.leaseLost(key, remote)) { try await store.releaseLease(old) }
        // A batch with a message takes the transaction path: refused the same way.
        var withMessage = batch
        withMessage.notifications = [NotificationDraft(key: "k", channel: "slack", event: "task_failed", title: "t", createdAt: Self.t0)]
        await #expect(throws: StoreError.leaseLost(key, remote)) { try await store.commit(withMessage) }
        #expect(try await store.notifications(NotificationQuery()).isEmpty)
        #expect(try await store.taskInstance(run: key, taskId: "t")?.state == TaskState.none)
        batch.fence = new
        try await store.commit(batch)
        #expect(try await store.taskInstance(run: key, taskId: "t")?.state == .success)
    }

    /// The one-statement commit inserts a new run and rows that reference it (checked at its end).
    @Test(.enabled(if: available)) func aCommitMayBringANewRunWithItsTasks() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        var batch = StateBatch()
        batch.runs = [StateStoreTests.run("new")]
        batch.instances = [TaskInstance(runId: "new", dagId: "etl", taskId: "t", state: .success, tryNumber: 1)]
        batch.xcoms = [XComEntry(run: RunKey("etl", "new"), taskId: "t", key: "k", value: [1])]
        try await store.commit(batch)
        #expect(try await store.run(RunKey("etl", "new")) == StateStoreTests.run("new"))
        #expect(try await store.xcom(run: RunKey("etl", "new"), taskId: "t", key: "k") == [1])
        // A row whose run exists nowhere is refused, and nothing of its batch is written.
        var orphan = StateBatch()
        orphan.runs = [StateStoreTests.run("other")]
        orphan.instances = [TaskInstance(runId: "missing", dagId: "etl", taskId: "t")]
        await #expect(throws: StoreError.self) { try await store.commit(orphan) }
        #expect(try await store.run(RunKey("etl", "other")) == nil)
    }

    /// Two delivering processes claiming at once (`FOR UPDATE SKIP LOCKED`) never get one message twice.
    @Test(.enabled(if: available)) func concurrentClaimsNeverOverlap() async throws {
        let url = try await PostgresTestDatabase.create()
        let a = try await PostgresStateStore.connect(url: url, maximumConnections: 4)
        let b = try await PostgresStateStore.connect(url: url, maximumConnections: 4)
        let drafts = (0..<200).map {
            NotificationDraft(key: "k\($0)", channel: "slack", event: "task_failed", title: "t\($0)", createdAt: Self.t0)
        }
        try await a.enqueueNotifications(drafts)
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (store, owner) in [(a, "a"), (b, "b")] {
                group.addTask {
                    var ids: [Int64] = []
                    while true {
                        let claimed = try await store.claimNotifications(owner: owner, now: Self.t0, limit: 7, lease: 600)
                        if claimed.isEmpty { return ids }
                        ids += claimed.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 200)
        #expect(Set(all).count == 200)
        await a.close()
        await b.close()
    }

    /// The synchronous readers block their (non-pool) thread on the query.
    @Test(.enabled(if: available)) func synchronousReadersWorkFromATaskThread() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        try await store.saveVariable(VariableRecord(key: "k", value: "v"))
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String?, any Error>) in
            Thread {
                do { continuation.resume(returning: try store.readVariable("k")?.value) } catch { continuation.resume(throwing: error) }
            }.start()
        }
        #expect(value == "v")
        // Called from the cooperative pool by more tasks than it has threads: slow, never stuck.
        let values = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<(4 * ProcessInfo.processInfo.activeProcessorCount + 4) {
                group.addTask { try store.readVariable("k")?.value }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.allSatisfy { $0 == "v" })
    }
}
