import ArgumentParser

/// `updraft variables`: Manage the variables tasks read.
struct VariablesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variables",
        abstract: "Manage the variables tasks read with ctx.variable.",
        subcommands: [VariablesList.self, VariablesGet.self, VariablesSet.self, VariablesDelete.self]
    )
}
