import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Passwords as bcrypt hashes (hummingbird-auth's `HummingbirdBcrypt`); never stored or logged in clear.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost (log2 of the rounds): 12 by default, `api.bcrypt_cost`.
    public var cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// Checks a new password: at least 8 characters (says why otherwise).
    public static func check(_ password: String) throws(APIError) {
        guard password.count >= 8 else { throw APIError.badRequest("the password must have at least 8 characters") }
    }
}
