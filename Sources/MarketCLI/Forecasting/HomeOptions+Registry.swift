import Forecasting
import Foundation
import UpdraftCLI

extension HomeOptions {
    /// The model registry under the home folder (`market.db` tables and `models/`).
    func registry() throws -> ModelRegistry { try ModelRegistry(home: try directory()) }
}
