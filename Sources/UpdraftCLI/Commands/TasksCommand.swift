import ArgumentParser

/// `updraft tasks`: Read logs of, clear, explain, test and mark task instances.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Read logs of, clear, explain, test and mark task instances.",
        subcommands: [TasksLogs.self, TasksClear.self, TasksWhy.self, TasksTest.self, TasksMark.self]
    )
}
