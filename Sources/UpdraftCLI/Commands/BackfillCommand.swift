import ArgumentParser

/// `updraft backfill`: Create one run per data interval over a date range.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Create one run per data interval over a date range.",
        subcommands: []
    )
}
