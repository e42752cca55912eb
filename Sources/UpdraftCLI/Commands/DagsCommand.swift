import ArgumentParser

/// `updraft dags`: List, show, pause and trigger DAGs.
struct DagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dags",
        abstract: "List, show, pause and trigger DAGs.",
        subcommands: [DagsList.self, DagsShow.self, DagsPause.self, DagsUnpause.self, DagsTrigger.self]
    )
}
