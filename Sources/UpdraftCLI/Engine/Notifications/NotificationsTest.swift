import ArgumentParser
import Foundation
import UpdraftConfig
import UpdraftNotify

/// `updraft notifications channels`.
struct NotificationsChannels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels", abstract: "List the notification channels and whether each is configured.")

    @OptionGroup var location: HomeOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let configured = try NotifyConfig.channels(try location.configuration())
        if json {
            JSONOutput.print(
                NotifyConfig.channelNames.map { .object(["channel": .string($0), "configured": .bool(configured[$0] != nil)]) })
            return
        }
        var table = Columns(["CHANNEL", "CONFIGURED"])
        for name in NotifyConfig.channelNames { table.add([name, configured[name] == nil ? "no" : "yes"]) }
        print(table.text)
    }
}

/// `updraft notifications test CHANNEL`.
struct NotificationsTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Send a test message through one channel (webhook, slack, discord, telegram, email).")

    @OptionGroup var location: HomeOptions
    @Argument(help: "The channel: webhook, slack, discord, telegram or email.") var channel: String

    func validate() throws {
        guard NotifyConfig.channelNames.contains(channel) else {
            throw ValidationError("unknown channel '\(channel)': one of \(NotifyConfig.channelNames.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let configuration = try location.configuration()
        guard let target = try NotifyConfig.channels(configuration)[channel] else {
            let prefixes = channel == "email" ? ["notifications.smtp_url", "notifications.email_"] : ["notifications.\(channel)_"]
            let keys = NotifyConfig.keys.map(\.path).filter { key in prefixes.contains { key.hasPrefix($0) } }
            throw CLIError.failed("channel '\(channel)' is not configured: set \(keys.joined(separator: ", "))")
        }
        let ui = configuration[.notifyUIAddress]
        let message = Notification(
            event: "test", title: "Updraft test message", lines: ["If you read this, the \(channel) channel works."],
            links: ui.isEmpty ? [] : [.init("web UI", url: ui)], timestamp: Date())
        do {
            try await target.send(message)
        } catch {
            throw CLIError.failed("\(error)")
        }
        print("sent a test message through \(channel)")
    }
}
