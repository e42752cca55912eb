// TEMPORARY: removed when the store branch merges (lets this module type-check meanwhile).
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

public enum UserRole: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer, user, op, admin
    public static func < (a: UserRole, b: UserRole) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}
public struct UserRecord: Sendable, Hashable { public var username: String; public var passwordHash: String; public var role: UserRole; public var createdAt: Date; public var tokensValidAfter: Date?
 public init(username: String, passwordHash: String, role: UserRole, createdAt: Date, tokensValidAfter: Date? = nil) { self.username = username; self.passwordHash = passwordHash; self.role = role; self.createdAt = createdAt; self.tokensValidAfter = tokensValidAfter } }
public struct VariableRecord: Sendable, Hashable { public var key: String; public var value: String; public var description: String?
    public init(key: String, value: String, description: String? = nil) { self.key = key; self.value = value; self.description = description } }
public struct ConnectionRecord: Sendable, Hashable { public var connectionId: String; public var connType: String; public var description: String?; public var host: String?; public var schema: String?; public var login: String?; public var password: String?; public var port: Int?; public var extra: String?
    public init(connectionId: String, connType: String, description: String? = nil, host: String? = nil, schema: String? = nil, login: String? = nil, password: String? = nil, port: Int? = nil, extra: String? = nil) { self.connectionId = connectionId; self.connType = connType; self.description = description; self.host = host; self.schema = schema; self.login = login; self.password = password; self.port = port; self.extra = extra } }
public struct EventLogRecord: Sendable, Hashable { public var id: Int64; public var when: Date; public var event: String; public var owner: String?; public var dagId: String?; public var runId: String?; public var taskId: String?; public var tryNumber: Int?; public var mapIndex: Int?; public var logicalDate: Date?; public var extra: String?
 public init(id: Int64, when: Date, event: String, owner: String?, dagId: String?, runId: String?, taskId: String?, tryNumber: Int?, mapIndex: Int?, logicalDate: Date?, extra: String?) { self.id = id; self.when = when; self.event = event; self.owner = owner; self.dagId = dagId; self.runId = runId; self.taskId = taskId; self.tryNumber = tryNumber; self.mapIndex = mapIndex; self.logicalDate = logicalDate; self.extra = extra } }
public struct EventLogQuery: Sendable { public var dagId, taskId, runId, event, owner: String?; public var before, after: Date?; public var limit: Int?; public var offset: Int = 0; public var orderBy: String?; public init() {} }
public struct DAGVersionRecord: Sendable, Hashable { public var id: String; public var dagId: String; public var versionNumber: Int; public var structureHash: String; public var createdAt: Date }
public struct XComRecord: Sendable, Hashable { public var dagId, runId, taskId, key: String; public var value: [UInt8]; public var timestamp: Date }
public struct AssetEventQuery: Sendable { public var assetId: Int64?; public var sourceDagId, sourceTaskId, sourceRunId: String?; public var timestampGte, timestampLte: Date?; public var limit: Int?; public var offset: Int = 0; public var descending = false; public init() {} }
public enum SensitiveNames { public static func isSensitive(_ key: String) -> Bool { false } }
public struct RunOrder: Sendable { public enum Field: Sendable { case id, state, dagId, runId, logicalDate, runAfter, startDate, endDate }; public init(_ f: Field, descending: Bool) {} }
extension RunQuery {
    public var offset: Int { get { 0 } set {} }
    public var runAfterGte: Date? { get { nil } set {} }
    public var runAfterLte: Date? { get { nil } set {} }
    public var logicalDateGte: Date? { get { nil } set {} }
    public var logicalDateLte: Date? { get { nil } set {} }
    public var startDateGte: Date? { get { nil } set {} }
    public var startDateLte: Date? { get { nil } set {} }
    public var endDateGte: Date? { get { nil } set {} }
    public var endDateLte: Date? { get { nil } set {} }
    public var runIdPattern: String? { get { nil } set {} }
    public var orderBy: RunOrder { get { RunOrder(.id, descending: false) } set {} }
}
extension DAGRun {
    public var note: String? { nil }
    public var triggeringUserName: String? { nil }
    public var dagVersionId: String? { nil }
}
extension StateStore {
    public func users() async throws -> [UserRecord] { fatalError() }
    public func user(_ username: String) async throws -> UserRecord? { fatalError() }
    public func saveUser(_ user: UserRecord) async throws { fatalError() }
    public func deleteUser(_ username: String) async throws -> Bool { fatalError() }
    public func signingKey(orStore candidate: [UInt8]) async throws -> [UInt8] { fatalError() }
    public func variables() async throws -> [VariableRecord] { fatalError() }
    public func variable(_ key: String) async throws -> VariableRecord? { fatalError() }
    public func saveVariable(_ v: VariableRecord) async throws { fatalError() }
    public func deleteVariable(_ key: String) async throws -> Bool { fatalError() }
    public func connections() async throws -> [ConnectionRecord] { fatalError() }
    public func connection(_ id: String) async throws -> ConnectionRecord? { fatalError() }
    public func saveConnection(_ c: ConnectionRecord) async throws { fatalError() }
    public func deleteConnection(_ id: String) async throws -> Bool { fatalError() }
    @discardableResult public func recordEvent(_ event: EventLogRecord) async throws -> Int64 { fatalError() }
    public func eventLogs(_ query: EventLogQuery) async throws -> (records: [EventLogRecord], total: Int) { fatalError() }
    public func dagVersions(dagId: String) async throws -> [DAGVersionRecord] { fatalError() }
    public func dagVersion(id: String) async throws -> DAGVersionRecord? { fatalError() }
    public func deletePool(_ name: String) async throws -> Bool { fatalError() }
    public func setRunNote(_ key: RunKey, note: String?) async throws { fatalError() }
    public func xcoms(run: RunKey, taskId: String?) async throws -> [XComRecord] { fatalError() }
    public func countRuns(_ query: RunQuery) async throws -> Int { fatalError() }
    public func recordExternalAssetEvent(assetId: Int64, extra: [String: JSONValue], now: Date) async throws -> AssetEvent { fatalError() }
    public func assetEvents(_ query: AssetEventQuery) async throws -> (events: [AssetEvent], total: Int) { fatalError() }
}
extension Engine {
    public func trigger(dagId: String, conf: [String: JSONValue], logicalDate: Date?, dataInterval: DataInterval?, triggeredBy: TriggeredBy, runId: String?, note: String?, triggeringUserName: String?) async throws -> DAGRun { fatalError() }
    public func setPaused(_ dagId: String, _ paused: Bool, owner: String) async throws { fatalError() }
    public func clear(run key: RunKey, taskIds: [String], downstream: Bool = false, upstream: Bool = false, failedOnly: Bool = false, owner: String) async throws -> [String] { fatalError() }
    public func markRun(run key: RunKey, state: RunState, owner: String) async throws -> ProcessIdentity? { fatalError() }
    public func markTask(run key: RunKey, taskId: String, state: TaskState, downstream: Bool, owner: String) async throws -> [String] { fatalError() }
    public func deleteRun(_ key: RunKey, owner: String) async throws { fatalError() }
}
