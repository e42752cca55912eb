import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import Logging
import NIOCore
import Synchronization
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Who made a request: a user and the role the store gives them now.
public struct APIIdentity: Sendable, Hashable {
    public var username: String
    public var role: UserRole
    public init(username: String, role: UserRole) { self.username = username; self.role = role }
}

/// Issues and checks the API's JWTs (HS256 through jwt-kit) with the signing key kept in the
/// state store, so every API server over one store accepts the others' tokens.
public struct TokenService: Sendable {
    let keys: JWTKeyCollection
    /// The signing key itself (the CSRF tokens of browser sessions are MACs under it).
    let key: [UInt8]
    /// How long a token lives (`api.jwt_expiration_time`, default 24 h).
    public let lifetime: TimeInterval
    /// Tokens whose signature was checked, with their claims: a client sends the same token with
    /// every request, and checking a signature costs more than the rest of a small answer.
    /// Expiry, revocation and the user's role are still checked on every request.
    let verified = VerifiedTokens()

    /// The claims of an Updraft token. `iat` keeps fractions of a second, so a revocation
    /// (`users revoke`) and a new login within one second are told apart.
    struct Claims: JWTPayload {
        var sub: String
        var role: String
        var iat: Double
        var exp: Double
        var jti: String

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Loads the store's signing key (creating it on first use) and returns a service over it.
    public static func open(store: any StateStore, lifetime: TimeInterval) async throws -> TokenService {
        var candidate = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in candidate.indices { candidate[index] = UInt8.random(in: 0...255, using: &generator) }
        let key = try await store.signingKey(orStore: candidate)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256)
        return TokenService(keys: keys, key: key, lifetime: lifetime)
    }

    /// A signed token for `user`, valid for `lifetime` from `now`.
    public func issue(for user: UserRecord, now: Date) async throws -> String {
        let claims = Claims(
            sub: user.username, role: user.role.rawValue, iat: now.timeIntervalSince1970,
            exp: now.timeIntervalSince1970 + lifetime, jti: UUID().uuidString.lowercased())
        return try await keys.sign(claims)
    }

    /// The caller of `token`, if it is genuine, unexpired, not revoked and its user still exists
    /// (the role is the user's current one). Nil otherwise; why is not told to the caller.
    public func verify(_ token: String, store: any StateStore, now: Date) async throws -> APIIdentity? {
        let claims: Claims
        if let known = verified.claims(of: token) {
            claims = known
        } else {
            do { claims = try await keys.verify(token, as: Claims.self) } catch { return nil }
            verified.remember(token, claims)
        }
        guard claims.exp > now.timeIntervalSince1970 else { return nil }
        guard let user = try await store.user(claims.sub) else { return nil }
        if let validAfter = user.tokensValidAfter, claims.iat < validAfter.timeIntervalSince1970 { return nil }
        return APIIdentity(username: user.username, role: user.role)
    }
}

/// A bounded set of tokens whose signatures were verified (forgotten all at once when full).
final class VerifiedTokens: Sendable {
    private let table = Mutex<[String: TokenService.Claims]>([:])
    static let capacity = 10_000

    func claims(of token: String) -> TokenService.Claims? { table.withLock { $0[token] } }

    func remember(_ token: String, _ claims: TokenService.Claims) {
        table.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[token] = claims
        }
    }
}
