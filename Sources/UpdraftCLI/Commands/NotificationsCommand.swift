import ArgumentParser

/// `updraft notifications`: Check the notification channels.
struct NotificationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "List the configured notification channels and send a test message.",
        subcommands: [NotificationsList.self, NotificationsChannels.self, NotificationsTest.self]
    )
}
