import ArgumentParser

/// The `updraft` command tree. Each group lives in its own file under `Commands/`.
public struct UpdraftCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "updraft",
        abstract: "Run, schedule and inspect Swift-defined DAGs.",
        subcommands: [
            DagsCommand.self, RunsCommand.self, TasksCommand.self, AssetsCommand.self, BackfillCommand.self,
            SchedulerCommand.self, PoolsCommand.self, DBCommand.self,
            DataCommand.self, SandboxCommand.self, IndicatorsCommand.self,
            ModelsCommand.self, PredictionsCommand.self, ConfigCommand.self, DemoCommand.self,
        ]
    )

    public init() {}
}
