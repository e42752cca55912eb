import ArgumentParser
import Foundation
import Forecasting

/// `--home DIR` for the model and prediction commands: `UPDRAFT_HOME` when unset, else `./runs`.
struct ForecastingHomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Updraft home directory (holds market.db and models/).", valueName: "DIR"))
    var home: String?

    /// The directory to use.
    var resolvedHome: String {
        home ?? ProcessInfo.processInfo.environment["UPDRAFT_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "./runs"
    }

    /// The model registry under the home directory.
    func registry() throws -> ModelRegistry { try ModelRegistry(home: resolvedHome) }
}
