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

    /// The trading settings of the configuration, or a usage error naming the key at fault.
    func tradingSettings() throws -> TradingSettings {
        do { return try TradingSettings(try configuration()) } catch let error as TradingSettingsError {
            throw CLIError.usage(error.description)
        }
    }
}
