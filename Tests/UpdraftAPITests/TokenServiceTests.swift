import Foundation
import Testing
import UpdraftStore

@testable import UpdraftAPI

@Suite struct TokenServiceTests {
    static let start = Date(timeIntervalSince1970: 1_796_533_200)

    static func service(_ store: MemoryStateStore, lifetime: TimeInterval = 3600) async throws -> (TokenService, UserRecord) {
        let user = UserRecord(
            username: "ann", passwordHash: PasswordHasher(cost: 4).hash("a-long-password"), role: .user, createdAt: start)
        try await store.saveUser(user)
        return (try await TokenService.open(store: store, lifetime: lifetime), user)
    }

    @Test func aTokenIsValidUntilItExpiresAndCarriesTheStoresCurrentRole() async throws {
        let store = MemoryStateStore()
        let (tokens, user) = try await Self.service(store)
        let token = try await tokens.issue(for: user, now: Self.start)
        #expect(
            try await tokens.verify(token, store: store, now: Self.start.addingTimeInterval(3599))
                == APIIdentity(username: "ann", role: .user))
        var promoted = user
        promoted.role = .op
        try await store.saveUser(promoted)
        #expect(try await tokens.verify(token, store: store, now: Self.start)?.role == .op)
        #expect(try await tokens.verify(token, store: store, now: Self.start.addingTimeInterval(3601)) == nil)
    }

    @Test func tamperedForeignAndRevokedTokensAreRefused() async throws {
        let store = MemoryStateStore()
        let (tokens, user) = try await Self.service(store)
        let token = try await tokens.issue(for: user, now: Self.start)
        var bytes = Array(token.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(try await tokens.verify(String(decoding: bytes, as: UTF8.self), store: store, now: Self.start) == nil)
        // Another store's key: another signature.
        let other = MemoryStateStore()
        let (foreign, _) = try await Self.service(other)
        #expect(try await foreign.verify(token, store: store, now: Self.start) == nil)
        // Revocation ends tokens issued before it, not those issued after, even within a second.
        var revoked = user
        revoked.tokensValidAfter = Self.start.addingTimeInterval(0.5)
        try await store.saveUser(revoked)
        #expect(try await tokens.verify(token, store: store, now: Self.start.addingTimeInterval(1)) == nil)
        let fresh = try await tokens.issue(for: revoked, now: Self.start.addingTimeInterval(0.7))
        #expect(try await tokens.verify(fresh, store: store, now: Self.start.addingTimeInterval(1)) != nil)
        // A removed user's tokens end with them.
        _ = try await store.deleteUser("ann")
        #expect(try await tokens.verify(fresh, store: store, now: Self.start.addingTimeInterval(1)) == nil)
    }

    @Test func twoServersOverOneStoreShareTheSigningKey() async throws {
        let store = MemoryStateStore()
        let (first, user) = try await Self.service(store)
        let second = try await TokenService.open(store: store, lifetime: 3600)
        let token = try await first.issue(for: user, now: Self.start)
        #expect(try await second.verify(token, store: store, now: Self.start) != nil)
    }

    @Test func passwordsAreBcryptHashesThatVerify() {
        let hasher = PasswordHasher(cost: 4)
        let hash = hasher.hash("correct horse")
        #expect(hash.hasPrefix("$2"))
        #expect(!hash.contains("correct horse"))
        #expect(hasher.verify("correct horse", hash: hash))
        #expect(!hasher.verify("wrong horse", hash: hash))
    }

    @Test func theLoginThrottleRefusesAfterFiveFailuresUntilTheWindowPasses() {
        let throttle = LoginThrottle(limit: 5, window: 60)
        for second in 0..<5 {
            #expect(throttle.retryAfter("10.0.0.1", now: Self.start.addingTimeInterval(Double(second))) == nil)
            throttle.recordFailure("10.0.0.1", now: Self.start.addingTimeInterval(Double(second)))
        }
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start.addingTimeInterval(10)) == 50)
        #expect(throttle.retryAfter("10.0.0.2", now: Self.start.addingTimeInterval(10)) == nil)
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start.addingTimeInterval(61)) == nil)
    }
}
