import ArgumentParser
import Foundation
import UpdraftAPI
import UpdraftConfig
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `updraft users`: the API's users and roles (kept in the state store).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the API's users and their roles (viewer, user, op, admin).",
        subcommands: [UsersAdd.self, UsersList.self, UsersRemove.self, UsersPasswd.self, UsersRevoke.self]
    )
}

extension UserRole: ExpressibleByArgument {}

/// The password hasher of the configuration (`api.bcrypt_cost`).
func passwordHasher(_ options: EngineOptions) throws -> PasswordHasher {
    PasswordHasher(cost: UInt8(min(31, try options.location.configuration()[.apiBcryptCost])))
}

/// `updraft users add NAME --role ROLE`.
struct UsersAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; the password is asked twice on a terminal, or read as one line from a pipe.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The user name.") var username: String
    @Option(help: "viewer (read), user (also trigger, clear, mark, pause), op (also pools, variables, connections), admin (also users).")
    var role: UserRole = .viewer

    func run() async throws {
        let engine = try await engine.engine()
        guard !username.isEmpty, username.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw CLIError.usage("user name '\(username)': use letters, digits and . _ - @")
        }
        if try await engine.store.user(username) != nil { throw CLIError.usage("user '\(username)' already exists") }
        let password = try UserPasswords.read(for: username)
        do { try PasswordHasher.check(password) } catch { throw CLIError.usage(error.description) }
        let hash = try passwordHasher(self.engine).hash(password)
        try await engine.saveUser(
            UserRecord(username: username, passwordHash: hash, role: role, createdAt: engine.clock.now), owner: CLIUser.name)
        print("user \(username) added (role \(role.rawValue))")
    }
}

/// `updraft users list`.
struct UsersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and their roles.")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        let users = try await engine.store.users()
        if json {
            let rows: [JSONValue] = users.map { user in
                var row: [String: JSONValue] = [
                    "username": .string(user.username), "role": .string(user.role.rawValue),
                    "created_at": .string(TimeText.iso8601(user.createdAt)),
                ]
                row["tokens_valid_after"] = user.tokensValidAfter.map { .string(TimeText.iso8601($0)) } ?? .null
                return .object(row)
            }
            JSONOutput.print(rows)
            return
        }
        var table = TextTable(["USER", "ROLE", "CREATED", "TOKENS VALID AFTER"])
        for user in users {
            let after = user.tokensValidAfter.map(TimeText.iso8601) ?? "-"
            table.append([user.username, user.role.rawValue, TimeText.iso8601(user.createdAt), after])
        }
        print(table.render())
    }
}

/// `updraft users remove NAME`.
struct UsersRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user (their tokens stop working).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The user name.") var username: String

    func run() async throws {
        let engine = try await engine.engine()
        guard try await engine.deleteUser(username, owner: CLIUser.name) else { throw CLIError.usage("no user '\(username)'") }
        print("user \(username) removed")
    }
}

/// `updraft users passwd NAME`.
struct UsersPasswd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Change a user's password (tokens issued before stay valid; `users revoke` ends them).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The user name.") var username: String

    func run() async throws {
        let engine = try await engine.engine()
        guard var user = try await engine.store.user(username) else { throw CLIError.usage("no user '\(username)'") }
        let password = try UserPasswords.read(for: username)
        do { try PasswordHasher.check(password) } catch { throw CLIError.usage(error.description) }
        user.passwordHash = try passwordHasher(self.engine).hash(password)
        try await engine.saveUser(user, owner: CLIUser.name)
        print("password of \(username) changed")
    }
}

/// `updraft users revoke NAME`.
struct UsersRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke every token a user holds now (they log in again for a new one).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The user name.") var username: String

    func run() async throws {
        let engine = try await engine.engine()
        guard var user = try await engine.store.user(username) else { throw CLIError.usage("no user '\(username)'") }
        user.tokensValidAfter = engine.clock.now
        try await engine.saveUser(user, owner: CLIUser.name)
        print("tokens of \(username) issued before \(TimeText.iso8601(user.tokensValidAfter!)) are revoked")
    }
}
