import ArgumentParser
import Foundation
import UpdraftCLI

/// `updraft data`: Import, export and inspect klines in the warehouse.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Import, export and inspect klines in the warehouse.",
        subcommands: [
            DataImportCommand.self, DataExportCommand.self, DataGapsCommand.self, DataStatsCommand.self, DataPartitionsCommand.self,
            DataBackfillCommand.self, DataCoverageCommand.self,
        ]
    )
}
