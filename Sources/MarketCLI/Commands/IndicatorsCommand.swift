import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft indicators`: Compute technical indicators over kline files.
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Compute technical indicators over kline files.",
        subcommands: [IndicatorsComputeCommand.self]
    )
}
