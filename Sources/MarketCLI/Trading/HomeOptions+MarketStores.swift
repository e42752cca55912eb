import Foundation
import MarketPipeline
import UpdraftCLI

extension HomeOptions {
    /// The market stores of the home folder (`market.db`: warehouse, alerts, ledger).
    func marketStores() throws -> MarketStores {
        let directory = try directory()
        do { return try MarketStores(home: directory) } catch {
            throw CLIError.failed("cannot open \(directory)/market.db: \(error)")
        }
    }

}
