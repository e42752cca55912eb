import Foundation
import MarketData
import UpdraftCLI

extension HomeOptions {
    /// Opens (creating if needed) `market.db` in the home folder.
    func openWarehouse() throws -> KlineWarehouse {
        let directory = try directory()
        do { return try KlineWarehouse(home: directory) } catch {
            throw DataCommandFailure.failed("cannot open \(directory)/market.db: \(error)")
        }
    }
}
