import ArgumentParser

/// `updraft scheduler`: Run the long-running scheduler.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the long-running scheduler.",
        subcommands: []
    )
}
