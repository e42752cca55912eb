import ArgumentParser

/// The `updraft` command tree. Each engine group lives in its own file under `Commands/`;
/// extensions add theirs through ``UpdraftApplication``.
public struct UpdraftCommand: AsyncParsableCommand {
    /// The engine's groups, then the application's extensions' (``UpdraftExtension/commands``).
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: CLIEnvironment.application?.name ?? "updraft",
            abstract: "Run, schedule and inspect Swift-defined DAGs.",
            discussion: """
                --home and --config may also be given before the subcommand. \
                `\(CLIEnvironment.application?.name ?? "updraft") --version` prints the version.
                """,
            subcommands: engineCommands + (CLIEnvironment.application?.extensions.flatMap(\.commands) ?? [])
        )
    }

    /// The engine's command groups, which every binary has.
    public static let engineCommands: [any ParsableCommand.Type] = [
        DagsCommand.self, RunsCommand.self, TasksCommand.self, AssetsCommand.self, BackfillCommand.self,
        SchedulerCommand.self, WorkerCommand.self, WorkersCommand.self, SchedulersCommand.self, APIServerCommand.self,
        StandaloneCommand.self, UsersCommand.self, PoolsCommand.self,
        NotificationsCommand.self,
        VariablesCommand.self, ConnectionsCommand.self, EventsCommand.self,
        DBCommand.self, ConfigCommand.self,
    ]

    public init() {}
}
