import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft predictions`: List model predictions.
struct PredictionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictions",
        abstract: "List model predictions.",
        subcommands: [PredictionsListCommand.self]
    )
}
