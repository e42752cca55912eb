import ArgumentParser

/// `updraft pools`: List and size task pools.
struct PoolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pools",
        abstract: "List and size task pools.",
        subcommands: [PoolsList.self, PoolsSet.self, PoolsDelete.self]
    )
}
