import ArgumentParser

/// `updraft demo`: Run the whole crypto pipeline against the embedded fake exchange.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole crypto pipeline against the embedded fake exchange.",
        subcommands: []
    )
}
