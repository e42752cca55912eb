import ArgumentParser

/// `updraft events`: Read the audit log.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Read the audit log of who triggered, cleared, marked, paused and changed what.",
        subcommands: [EventsList.self]
    )
}
