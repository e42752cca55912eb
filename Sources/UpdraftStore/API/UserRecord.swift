import Foundation

/// What a user of the REST API may do, weakest first (Airflow's Viewer, User, Op and Admin roles):
/// a role may do everything the roles before it may.
///
/// ```swift
/// if user.role >= .op { /* may edit pools, variables and connections */ }
/// ```
public enum UserRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads DAGs, runs, tasks and logs.
    case viewer
    /// A viewer who also triggers, clears and marks runs and pauses DAGs.
    case user
    /// A user who also edits pools, variables and connections.
    case op
    /// An op who also manages users.
    case admin

    /// The order of declaration: `viewer < user < op < admin`.
    public static func < (lhs: UserRole, rhs: UserRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A user of the REST API (Airflow's `ab_user` row of the simple auth manager).
///
/// ```swift
/// try await store.saveUser(UserRecord(username: "ada", passwordHash: hash, role: .admin, createdAt: now))
/// ```
public struct UserRecord: Sendable, Hashable {
    /// Unique; the key of the record.
    public var username: String
    /// The password as the API hashed it; the store never sees a password.
    public var passwordHash: String
    public var role: UserRole
    public var createdAt: Date
    /// Tokens issued before this are revoked (a logout or a password change moves it); nil: none.
    public var tokensValidAfter: Date?

    public init(
        username: String, passwordHash: String, role: UserRole, createdAt: Date, tokensValidAfter: Date? = nil
    ) {
        self.username = username; self.passwordHash = passwordHash; self.role = role; self.createdAt = createdAt
        self.tokensValidAfter = tokensValidAfter
    }
}
