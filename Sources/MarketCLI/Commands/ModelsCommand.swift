import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft models`: List and inspect trained models.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List and inspect trained models.",
        subcommands: [ModelsListCommand.self, ModelsShowCommand.self]
    )
}
