import ArgumentParser

/// `updraft assets`: the assets tasks update and DAGs are scheduled on.
struct AssetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "List the assets tasks update and DAGs are scheduled on.",
        subcommands: [AssetsList.self]
    )
}
