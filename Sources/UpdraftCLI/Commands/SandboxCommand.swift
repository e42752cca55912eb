import ArgumentParser

/// `updraft sandbox`: Serve a local fake exchange on 127.0.0.1.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a local fake exchange on 127.0.0.1.",
        subcommands: []
    )
}
