import ArgumentParser

/// `updraft connections`: Manage the connections tasks read.
struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Manage the connections tasks read with ctx.connection.",
        subcommands: [ConnectionsList.self, ConnectionsGet.self, ConnectionsAdd.self, ConnectionsDelete.self]
    )
}
