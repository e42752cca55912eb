import ArgumentParser

/// `updraft pools`: List and size worker pools.
struct PoolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pools",
        abstract: "List and size worker pools.",
        subcommands: []
    )
}
