import Foundation
import GRDB
import Testing
import UpdraftCore

@testable import UpdraftStore

/// What the REST API manages, on both stores: users, the signing key, variables, connections,
/// the audit log, DAG versions, notes, XCom listings, external asset events and pools.
@Suite struct APIEntitiesTests {
    static let t0 = StateStoreTests.t0

    @Test(arguments: StoreKind.allCases)
    func usersAreSavedReplacedAndDeleted(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let ada = UserRecord(username: "ada", passwordHash: "h1", role: .admin, createdAt: Self.t0)
        let bob = UserRecord(
            username: "bob", passwordHash: "h2", role: .viewer, createdAt: Self.t0, tokensValidAfter: Self.t0.addingTimeInterval(5))
        try await store.saveUser(bob)
        try await store.saveUser(ada)
        #expect(try await store.users() == [ada, bob])
        var changed = ada
        changed.role = .op
        changed.passwordHash = "h3"
        try await store.saveUser(changed)
        #expect(try await store.user("ada") == changed)
        #expect(try await store.user("bob") == bob)
        #expect(try await store.deleteUser("ada"))
        #expect(try await !store.deleteUser("ada"))
        #expect(try await store.user("ada") == nil)
    }

    @Test func rolesAreOrderedWeakestFirst() {
        #expect(UserRole.viewer < .user && UserRole.user < .op && UserRole.op < .admin)
        #expect(UserRole.allCases.sorted() == [.viewer, .user, .op, .admin])
        #expect(!(UserRole.admin < .admin))
    }

    @Test(arguments: StoreKind.allCases)
    func theFirstSigningKeyStays(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        #expect(try await store.signingKey(orStore: [1, 2, 3]) == [1, 2, 3])
        #expect(try await store.signingKey(orStore: [9, 9]) == [1, 2, 3])
    }

    /// Two processes starting the API at once agree on one key.
    @Test func twoConnectionsAgreeOnTheSigningKey() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-key-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("updraft.db").path
        let first = try SQLiteStateStore(path: path)
        let second = try SQLiteStateStore(path: path)
        let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            group.addTask { try await first.signingKey(orStore: [1]) }
            group.addTask { try await second.signingKey(orStore: [2]) }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(keys[0] == keys[1])
    }

    @Test(arguments: StoreKind.allCases)
    func variablesAreKeptInKeyOrder(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.saveVariable(VariableRecord(key: "zeta", value: "1"))
        try await store.saveVariable(VariableRecord(key: "api_token", value: "s3cr3t", description: "the token"))
        try await store.saveVariable(VariableRecord(key: "zeta", value: "2", description: "changed"))
        #expect(
            try await store.variables() == [
                VariableRecord(key: "api_token", value: "s3cr3t", description: "the token"),
                VariableRecord(key: "zeta", value: "2", description: "changed"),
            ])
        #expect(try await store.variable("zeta")?.value == "2")
        let reader = try #require(store as? any SettingsReading)
        #expect(try reader.readVariable("api_token")?.value == "s3cr3t")
        #expect(try await store.deleteVariable("zeta"))
        #expect(try await !store.deleteVariable("zeta"))
        #expect(try await store.variable("zeta") == nil)
        #expect(try reader.readVariable("zeta") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func connectionsKeepEveryField(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let full = ConnectionRecord(
            connectionId: "warehouse", connType: "postgres", description: "the warehouse", host: "db.local",
            schema: "market", login: "etl", password: "pw", port: 5432, extra: #"{"sslmode":"require"}"#)
        let bare = ConnectionRecord(connectionId: "api", connType: "http")
        try await store.saveConnection(full)
        try await store.saveConnection(bare)
        #expect(try await store.connections() == [bare, full])
        #expect(try await store.connection("warehouse") == full)
        let reader = try #require(store as? any SettingsReading)
        #expect(try reader.readConnection("warehouse")?.info.port == 5432)
        var changed = full
        changed.password = nil
        try await store.saveConnection(changed)
        #expect(try await store.connection("warehouse") == changed)
        #expect(try await store.deleteConnection("api"))
        #expect(try await !store.deleteConnection("api"))
        #expect(try await store.connections().map(\.connectionId) == ["warehouse"])
    }

    static func event(_ minutes: Double, _ name: String, owner: String? = "ada", dag: String? = "etl") -> EventLogRecord {
        EventLogRecord(
            when: t0.addingTimeInterval(minutes * 60), event: name, owner: owner, dagId: dag, runId: dag == nil ? nil : "r1",
            taskId: name == "clear" ? "load" : nil, tryNumber: name == "clear" ? 2 : nil, mapIndex: nil,
            logicalDate: dag == nil ? nil : t0, extra: name == "clear" ? #"{"task_ids":["load"]}"# : nil)
    }

    @Test(arguments: StoreKind.allCases)
    func theAuditLogFiltersOrdersAndPages(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        var ids: [Int64] = []
        ids.append(try await store.recordEvent(Self.event(3, "trigger_dag_run")))
        ids.append(try await store.recordEvent(Self.event(1, "clear", owner: "bob")))
        ids.append(try await store.recordEvent(Self.event(2, "set_variable", dag: nil)))
        ids.append(try await store.recordEvent(Self.event(4, "pause_dag", dag: "other")))
        #expect(ids == [1, 2, 3, 4])

        let all = try await store.eventLogs(EventLogQuery())
        #expect(all.total == 4)
        #expect(all.records.map(\.id) == [1, 2, 3, 4])  // Airflow's default: ascending id
        var expected = Self.event(1, "clear", owner: "bob")
        expected.id = 2
        #expect(all.records[1] == expected)

        #expect(try await store.eventLogs(EventLogQuery(orderBy: "-when")).records.map(\.id) == [4, 1, 3, 2])
        #expect(try await store.eventLogs(EventLogQuery(orderBy: "when")).records.map(\.id) == [2, 3, 1, 4])
        #expect(try await store.eventLogs(EventLogQuery(orderBy: "-event_log_id")).records.map(\.id) == [4, 3, 2, 1])
        #expect(try await store.eventLogs(EventLogQuery(orderBy: "dag_id")).records.map(\.id) == [3, 1, 2, 4])

        let etl = try await store.eventLogs(EventLogQuery(dagId: "etl", limit: 1, offset: 1))
        #expect(etl.total == 2)
        #expect(etl.records.map(\.id) == [2])
        #expect(try await store.eventLogs(EventLogQuery(owner: "bob")).records.map(\.event) == ["clear"])
        #expect(try await store.eventLogs(EventLogQuery(event: "pause_dag")).records.map(\.dagId) == ["other"])
        #expect(try await store.eventLogs(EventLogQuery(taskId: "load", runId: "r1")).total == 1)
        let window = EventLogQuery(before: Self.t0.addingTimeInterval(240), after: Self.t0.addingTimeInterval(60))
        #expect(try await store.eventLogs(window).records.map(\.id) == [1, 3])  // strict bounds

        await #expect(throws: StoreError.self) { try await store.eventLogs(EventLogQuery(orderBy: "-nope")) }
        #expect(try await store.deleteEventLogs(before: Self.t0.addingTimeInterval(150)) == 2)
        #expect(try await store.eventLogs(EventLogQuery()).records.map(\.id) == [1, 4])
        #expect(try await store.recordEvent(Self.event(5, "clear")) == 5)  // ids are never reused
    }

    @Test(arguments: StoreKind.allCases)
    func aDAGGetsANewVersionOnlyWhenItsStructureChanges(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = try await store.syncDAGVersions(["etl": "aaaa", "report": "bbbb"], now: Self.t0)
        #expect(first["etl"]?.versionNumber == 1 && first["report"]?.versionNumber == 1)
        #expect(first["etl"]?.createdAt == Self.t0 && first["etl"]?.structureHash == "aaaa")
        #expect(first["etl"]?.id != first["report"]?.id)

        let same = try await store.syncDAGVersions(["etl": "aaaa"], now: Self.t0.addingTimeInterval(60))
        #expect(same == ["etl": first["etl"]!])

        let changed = try await store.syncDAGVersions(["etl": "cccc", "report": "bbbb"], now: Self.t0.addingTimeInterval(120))
        #expect(changed["etl"]?.versionNumber == 2)
        #expect(changed["report"] == first["report"])
        #expect(try await store.dagVersions(dagId: "etl").map(\.versionNumber) == [1, 2])
        #expect(try await store.dagVersions(dagId: "etl").map(\.structureHash) == ["aaaa", "cccc"])
        #expect(try await store.dagVersion(id: changed["etl"]!.id) == changed["etl"])
        #expect(try await store.dagVersion(id: "missing") == nil)
        #expect(try await store.dagVersions(dagId: "missing").isEmpty)
        // Back to an older structure is a new version too (Airflow's rule: the latest one is compared).
        #expect(try await store.syncDAGVersions(["etl": "aaaa"], now: Self.t0)["etl"]?.versionNumber == 3)
    }

    /// Every command opens the engine: unchanged versions are answered by a read (no other
    /// connection sees a commit), as unchanged asset references are.
    @Test func unchangedVersionsTakeNoWriteLock() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("versions-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStateStore(path: path)
        let first = try await store.syncDAGVersions(["etl": "aaaa"], now: Self.t0)
        let watcher = try DatabaseQueue(path: path)
        defer { try? watcher.close() }
        let version = { try watcher.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") } }
        let before = try version()
        #expect(try await store.syncDAGVersions(["etl": "aaaa"], now: Self.t0.addingTimeInterval(60)) == first)
        #expect(try version() == before)
        _ = try await store.syncDAGVersions(["etl": "bbbb"], now: Self.t0.addingTimeInterval(60))
        #expect(try version() != before)
    }

    @Test(arguments: StoreKind.allCases)
    func runsKeepTheirNoteUserAndVersionAcrossCommits(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        var run = StateStoreTests.run("r1")
        run.triggeringUserName = "ada"
        run.dagVersionId = "v-1"
        run.note = "first"
        try await store.createRun(run, instances: [])
        #expect(try await store.run(run.key) == run)
        try await store.setRunNote(run.key, note: "checked by bob")
        // A commit of the run's owner, which read the run before the note changed, keeps the note.
        var stale = run
        stale.state = .running
        stale.note = nil
        stale.dagVersionId = nil
        var batch = StateBatch()
        batch.runs = [stale]
        try await store.commit(batch)
        let stored = try #require(try await store.run(run.key))
        #expect(stored.state == .running)
        #expect(stored.note == "checked by bob")
        #expect(stored.triggeringUserName == "ada" && stored.dagVersionId == "v-1")
        try await store.setRunNote(run.key, note: nil)
        #expect(try await store.run(run.key)?.note == nil)
        await #expect(throws: StoreError.unknownRun(RunKey("etl", "missing"))) {
            try await store.setRunNote(RunKey("etl", "missing"), note: "x")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func xcomsOfARunAreListedWithTheirTryEnd(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let key = StateStoreTests.key("r1")
        try await store.createRun(
            StateStoreTests.run("r1"),
            instances: [
                TaskInstance(runId: "r1", dagId: "etl", taskId: "extract"), TaskInstance(runId: "r1", dagId: "etl", taskId: "load"),
            ])
        let end = Self.t0.addingTimeInterval(90)
        var batch = StateBatch()
        batch.instances = [
            TaskInstance(runId: "r1", dagId: "etl", taskId: "extract", state: .success, tryNumber: 1, startDate: Self.t0, endDate: end)
        ]
        batch.xcoms = [
            XComEntry(run: key, taskId: "extract", key: "return_value", value: Array("[1,2]".utf8)),
            XComEntry(run: key, taskId: "extract", key: "count", value: Array("2".utf8)),
            XComEntry(run: key, taskId: "load", key: "return_value", value: Array("true".utf8)),
        ]
        try await store.commit(batch)
        let all = try await store.xcoms(run: key, taskId: nil)
        #expect(all.map { "\($0.taskId)/\($0.key)" } == ["extract/count", "extract/return_value", "load/return_value"])
        #expect(all[0] == XComRecord(dagId: "etl", runId: "r1", taskId: "extract", key: "count", value: Array("2".utf8), timestamp: end))
        #expect(all[2].timestamp == Self.t0)  // no try ended yet: the run's queue time
        #expect(try await store.xcoms(run: key, taskId: "load").map(\.key) == ["return_value"])
        #expect(try await store.xcoms(run: StateStoreTests.key("missing"), taskId: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func poolsAreDeleted(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.setPool(PoolRecord(name: "api", slots: 2))
        #expect(try await store.deletePool("api"))
        #expect(try await !store.deletePool("api"))
        #expect(try await store.pools().map(\.name) == ["default_pool"])
    }

    static let ticks = Asset("ticks", uri: "updraft://warehouse/ticks")

    @Test(arguments: StoreKind.allCases)
    func anExternalAssetEventIsQueuedForItsConsumers(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        var references = AssetReferences()
        references.assets = [Self.ticks]
        references.consumers = [Self.ticks.uri: ["indicators"]]
        try await store.syncAssets(references, now: Self.t0)
        let asset = try #require(try await store.assets().first)
        let event = try await store.recordExternalAssetEvent(
            assetId: asset.id, extra: ["from": "api"], now: Self.t0.addingTimeInterval(60))
        #expect(event.assetId == asset.id && event.assetURI == Self.ticks.uri && event.assetName == "ticks")
        #expect(event.sourceDagId == "" && event.sourceRunId == "" && event.sourceTaskId == "" && event.sourceMapIndex == -1)
        #expect(event.extra == ["from": "api"] && event.timestamp == Self.t0.addingTimeInterval(60))
        #expect(try await store.queuedAssetEvents(dagId: "indicators") == [event])
        #expect(try await store.assets().first?.lastEvent == event)
        await #expect(throws: StoreError.unknownAsset(999)) {
            try await store.recordExternalAssetEvent(assetId: 999, extra: [:], now: Self.t0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func assetEventsFilterOrderAndPage(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let other = Asset("bars", uri: "updraft://warehouse/bars")
        try await store.createRun(StateStoreTests.run("r1"), instances: [])
        var batch = StateBatch()
        batch.assetEvents = [
            AssetEventDraft(
                asset: Self.ticks, sourceRun: StateStoreTests.key("r1"), sourceTaskId: "load", timestamp: Self.t0.addingTimeInterval(20)),
            AssetEventDraft(
                asset: other, sourceRun: StateStoreTests.key("r1"), sourceTaskId: "bars", timestamp: Self.t0.addingTimeInterval(10)),
        ]
        try await store.commit(batch)
        let ticks = try #require(try await store.assets().first { $0.asset.uri == Self.ticks.uri })
        _ = try await store.recordExternalAssetEvent(assetId: ticks.id, extra: [:], now: Self.t0.addingTimeInterval(30))

        let all = try await store.assetEvents(AssetEventQuery())
        #expect(all.total == 3)
        #expect(all.events.map(\.id) == [2, 1, 3])  // by timestamp
        #expect(try await store.assetEvents(AssetEventQuery(orderBy: "-id")).events.map(\.id) == [3, 2, 1])
        #expect(try await store.assetEvents(AssetEventQuery(assetId: ticks.id)).events.map(\.id) == [1, 3])
        #expect(try await store.assetEvents(AssetEventQuery(sourceDagId: "etl", sourceTaskId: "bars")).events.map(\.id) == [2])
        #expect(try await store.assetEvents(AssetEventQuery(sourceRunId: "r1")).total == 2)
        let window = AssetEventQuery(timestampGte: Self.t0.addingTimeInterval(20), timestampLte: Self.t0.addingTimeInterval(30))
        #expect(try await store.assetEvents(window).events.map(\.id) == [1, 3])  // inclusive bounds
        let page = try await store.assetEvents(AssetEventQuery(limit: 1, offset: 1, orderBy: "-timestamp"))
        #expect(page.events.map(\.id) == [1] && page.total == 3)
        await #expect(throws: StoreError.self) { try await store.assetEvents(AssetEventQuery(orderBy: "uri")) }
    }

    @Test func sensitiveNamesFollowAirflow() {
        for key in ["api_token", "DB_PASSWORD", "my-secret", "aws_access_token", "apikey", "API_KEY", "ssh_private_key", "passwd"] {
            #expect(SensitiveNames.isSensitive(key), "\(key)")
        }
        for key in ["warehouse_url", "symbols", "region", "pass"] { #expect(!SensitiveNames.isSensitive(key), "\(key)") }
        #expect(SensitiveNames.masked("x", key: "token") == "***")
        #expect(SensitiveNames.masked("x", key: "url") == "x")
        #expect(
            SensitiveNames.maskedExtra(#"{"region":"eu","auth":{"api_key":"k"},"password":"p"}"#)
                == #"{"auth":{"api_key":"***"},"password":"***","region":"eu"}"#)
        #expect(SensitiveNames.maskedExtra("not json") == "not json")
    }

    @Test func likePatternsMatchAnywhereIgnoringCase() {
        #expect(LikePattern("manual").matches("MANUAL__2024-01-01"))
        #expect(LikePattern("manual%01-02").matches("manual__2024-01-02T00:00"))
        #expect(LikePattern("2024-0_-02").matches("scheduled__2024-01-02"))
        #expect(!LikePattern("2024-0_-02").matches("scheduled__2024-1-02"))
        #expect(LikePattern("100\\%").matches("at 100% now"))
        #expect(!LikePattern("100\\%").matches("at 1000 now"))
        #expect(LikePattern("").matches("anything"))
        #expect(!LikePattern("backfill").matches("manual__x"))
    }
}
