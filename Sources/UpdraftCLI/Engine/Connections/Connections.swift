import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft connections list`.
struct ConnectionsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List connections (passwords show as ***).")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let connections = try await engine.engine().store.connections()
        if json { JSONOutput.print(connections.map(ConnectionOutput.json)); return }
        var table = Columns(["CONNECTION", "TYPE", "HOST", "PORT", "SCHEMA", "LOGIN", "PASSWORD", "DESCRIPTION"])
        for c in connections {
            table.add([
                c.connectionId, c.connType, c.host ?? "", c.port.map(String.init) ?? "", c.schema ?? "", c.login ?? "",
                c.password == nil ? "" : SensitiveNames.mask, c.description ?? "",
            ])
        }
        print(table.text)
    }
}

/// `updraft connections get ID`.
struct ConnectionsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a connection (its password as ***).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The connection id.") var connectionId: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() async throws {
        guard let connection = try await engine.engine().store.connection(connectionId) else {
            throw CLIError.failed("no connection with id '\(connectionId)'")
        }
        if json { JSONOutput.print(ConnectionOutput.json(connection)); return }
        guard case .object(let fields) = ConnectionOutput.json(connection) else { return }
        for name in ConnectionOutput.fieldOrder {
            let value: String =
                switch fields[name] {
                case .string(let text): text
                case .number(let number): String(Int(number))
                default: ""
                }
            print("\(name): \(value)")
        }
    }
}

/// `updraft connections add ID --conn-type TYPE`.
struct ConnectionsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a connection, or replace the one with this id.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The connection id.") var connectionId: String
    @Option(name: .customLong("conn-type"), help: "The connection type (http, postgres, sqlite, …).") var connType: String
    @Option(help: "The host.") var host: String?
    @Option(help: "The port.") var port: Int?
    @Option(help: "The database or path part.") var schema: String?
    @Option(help: "The login.") var login: String?
    @Option(help: "The password (stored as given, shown as ***).") var password: String?
    @Option(help: "Further settings, usually a JSON object.") var extra: String?
    @Option(help: "A description.") var description: String?

    func validate() throws {
        if connectionId.isEmpty { throw ValidationError("ID must not be empty") }
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be 0 to 65535, got \(port)") }
    }

    func run() async throws {
        let connection = ConnectionRecord(
            connectionId: connectionId, connType: connType, description: description, host: host, schema: schema,
            login: login, password: password, port: port, extra: extra)
        try await engine.engine().setConnection(connection, owner: CLIUser.name)
        print("connection \(connectionId) added")
    }
}

/// `updraft connections delete ID`.
struct ConnectionsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a connection.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The connection id.") var connectionId: String

    func run() async throws {
        guard try await engine.engine().deleteConnection(connectionId, owner: CLIUser.name) else {
            throw CLIError.failed("no connection with id '\(connectionId)'")
        }
        print("connection \(connectionId) deleted")
    }
}

/// How connections are printed: Airflow's field names, the password and sensitive extra fields masked.
enum ConnectionOutput {
    static let fieldOrder = [
        "connection_id", "conn_type", "description", "host", "port", "schema", "login", "password", "extra",
    ]

    static func json(_ c: ConnectionRecord) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return .object([
            "connection_id": .string(c.connectionId), "conn_type": .string(c.connType), "description": text(c.description),
            "host": text(c.host), "port": c.port.map { .number(Double($0)) } ?? .null, "schema": text(c.schema),
            "login": text(c.login), "password": c.password == nil ? .null : .string(SensitiveNames.mask),
            "extra": text(c.extra.map(SensitiveNames.maskedExtra)),
        ])
    }
}
