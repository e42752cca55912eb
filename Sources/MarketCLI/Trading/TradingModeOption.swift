import ArgumentParser
import Foundation
import MarketPipeline
import UpdraftCLI

extension TradingMode: ExpressibleByArgument {}

/// `--mode`: which ledger to read (default: `trading.mode` of the configuration).
struct TradingModeOption: ParsableArguments {
    @Option(help: "Ledger to read: paper, sandbox or live (default: trading.mode).") var mode: TradingMode?

    /// The mode given, else the configuration's.
    func resolve(_ home: HomeOptions) throws -> TradingMode {
        if let mode { return mode }
        return TradingMode(rawValue: try home.configuration()[.tradingMode]) ?? .paper
    }
}
