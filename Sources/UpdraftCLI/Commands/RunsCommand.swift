import ArgumentParser

/// `updraft runs`: List, inspect, cancel and mark DAG runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, inspect, cancel and mark DAG runs.",
        subcommands: [RunsList.self, RunsShow.self, RunsCancel.self, RunsMark.self]
    )
}
