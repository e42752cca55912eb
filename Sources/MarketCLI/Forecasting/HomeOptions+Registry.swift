import Foundation
import UpdraftCLI
import Forecasting

extension HomeOptions {
    /// The model registry under the home folder (`market.db` tables and `models/`).
    func registry() throws -> ModelRegistry { try ModelRegistry(home: try directory()) }
}
