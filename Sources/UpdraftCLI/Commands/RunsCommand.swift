import ArgumentParser

/// `updraft runs`: List, inspect, resume, cancel and mark DAG runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, inspect, resume, cancel and mark DAG runs.",
        subcommands: [RunsList.self, RunsShow.self, RunsResume.self, RunsCancel.self, RunsMark.self]
    )
}
