import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft variables list`.
struct VariablesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List variables (values of sensitive keys show as ***).")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let variables = try await engine.engine().store.variables()
        if json { JSONOutput.print(variables.map(VariableOutput.json)); return }
        var table = Columns(["KEY", "VALUE", "DESCRIPTION"])
        for variable in variables {
            table.add([variable.key, VariableOutput.shownValue(variable), variable.description ?? ""])
        }
        print(table.text)
    }
}

/// `updraft variables get KEY`.
struct VariablesGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a variable's value (*** for a sensitive key).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The variable's key.") var key: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() async throws {
        guard let variable = try await engine.engine().store.variable(key) else {
            throw CLIError.failed("no variable with key '\(key)'")
        }
        if json { JSONOutput.print(VariableOutput.json(variable)) } else { print(VariableOutput.shownValue(variable)) }
    }
}

/// `updraft variables set KEY VALUE`.
struct VariablesSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Create a variable or change its value.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The variable's key.") var key: String
    @Argument(help: "The value (stored as given).") var value: String
    @Option(help: "A description.") var description: String?

    func validate() throws { if key.isEmpty { throw ValidationError("KEY must not be empty") } }

    func run() async throws {
        let engine = try await engine.engine()
        try await engine.setVariable(VariableRecord(key: key, value: value, description: description), owner: CLIUser.name)
        print("variable \(key) set")
    }
}

/// `updraft variables delete KEY`.
struct VariablesDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a variable.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The variable's key.") var key: String

    func run() async throws {
        guard try await engine.engine().deleteVariable(key, owner: CLIUser.name) else {
            throw CLIError.failed("no variable with key '\(key)'")
        }
        print("variable \(key) deleted")
    }
}

/// How variables are printed: Airflow's field names, sensitive values masked.
enum VariableOutput {
    static func shownValue(_ variable: VariableRecord) -> String {
        SensitiveNames.masked(variable.value, key: variable.key)
    }

    static func json(_ variable: VariableRecord) -> JSONValue {
        .object([
            "key": .string(variable.key), "value": .string(shownValue(variable)),
            "description": variable.description.map(JSONValue.string) ?? .null,
        ])
    }
}
