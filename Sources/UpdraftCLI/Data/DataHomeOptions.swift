import ArgumentParser
import Foundation
import MarketData

/// Where the `data` commands find `market.db`: `--home`, else `UPDRAFT_HOME`, else `./runs`.
struct DataHomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory holding market.db (default: $UPDRAFT_HOME, else ./runs).", valueName: "dir"))
    var home: String?

    /// The directory in effect.
    var directory: String {
        home ?? ProcessInfo.processInfo.environment["UPDRAFT_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "./runs"
    }

    /// Opens (creating if needed) the warehouse in ``directory``.
    func openWarehouse() throws -> KlineWarehouse {
        do { return try KlineWarehouse(home: directory) } catch {
            throw DataCommandFailure.failed("cannot open \(directory)/market.db: \(error)")
        }
    }
}
