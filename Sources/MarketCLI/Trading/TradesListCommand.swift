import ArgumentParser
import Foundation
import MarketPipeline
import UpdraftCLI

/// `updraft trades list`: the ledger's orders with their fills, newest first.
struct TradesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List orders and their fills, newest first.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var mode: TradingModeOption
    @Option(help: "Only trades of this symbol, e.g. BTCUSDT.") var symbol: String?
    @Option(help: "Most orders to list.") var limit = 100
    @Flag(help: "Print JSON.") var json = false

    /// An order with its fill, as `--json` prints it.
    struct Trade: Codable {
        var order: TradingLedger.Order
        var fill: TradingLedger.Fill?
    }

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive, not \(limit).") }
    }

    func run() async throws {
        let ledger = try home.marketStores().ledger
        let mode = try mode.resolve(home)
        let orders = try ledger.orders(mode: mode, symbol: symbol, limit: limit)
        let fills = Dictionary(try ledger.fills(mode: mode, symbol: symbol).map { ($0.clientOrderId, $0) }, uniquingKeysWith: { $1 })
        let trades = orders.map { Trade(order: $0, fill: fills[$0.clientOrderId]) }
        if json { print(try ForecastingFormat.json(trades)); return }
        guard !trades.isEmpty else { print("No \(mode.rawValue) trades in \(try home.directory())."); return }
        print(
            ForecastingFormat.table(
                ["DECIDED AT", "SYMBOL", "SIDE", "REASON", "STATUS", "FILLED AT", "QUANTITY", "PRICE", "FEE", "ORDER ID"],
                trades.map { t in
                    [
                        ForecastingFormat.time(t.order.decidedAt), t.order.symbol, t.order.side.rawValue, t.order.reason.rawValue,
                        t.order.status, t.fill.map { ForecastingFormat.time($0.time) } ?? "-",
                        t.fill.map { TradingFormat.amount($0.quantity) } ?? "-", t.fill.map { TradingFormat.amount($0.price) } ?? "-",
                        t.fill.map { TradingFormat.amount($0.fee) } ?? "-", t.order.clientOrderId,
                    ]
                }))
    }
}
