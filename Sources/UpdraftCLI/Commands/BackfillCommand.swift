import ArgumentParser

/// `updraft backfill`: Create, list, pause and cancel backfills, which the scheduler drives.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Create, list, pause and cancel backfills, which the scheduler drives.",
        subcommands: [BackfillCreate.self, BackfillList.self, BackfillPause.self, BackfillUnpause.self, BackfillCancel.self]
    )
}
