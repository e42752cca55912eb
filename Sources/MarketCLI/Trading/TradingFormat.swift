import Foundation
import MarketPipeline
import UpdraftCLI

/// Text rendering shared by the alerts and trading commands.
enum TradingFormat {
    /// A price or quantity with up to 8 decimals, trailing zeros dropped.
    static func amount(_ value: Double) -> String {
        var text = String(format: "%.8f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A fraction as a signed percentage with 2 decimals.
    static func percent(_ value: Double) -> String { String(format: "%+.2f%%", value * 100) }

    /// The lines of a report: one row per symbol, then the total.
    static func report(_ report: TradingReport) -> String {
        let lines = report.symbols + (report.total.map { [$0] } ?? [])
        return ForecastingFormat.table(
            ["SYMBOL", "BARS", "FROM", "TO", "EQUITY", "RETURN", "SHARPE", "MAX DRAWDOWN", "FEES", "FILLS", "BUY & HOLD"],
            lines.map { line in
                [
                    line.symbol, "\(line.bars)", line.from.map(ForecastingFormat.time) ?? "-", line.to.map(ForecastingFormat.time) ?? "-",
                    String(format: "%.2f", line.equity), percent(line.totalReturn), String(format: "%.2f", line.sharpe),
                    String(format: "%.2f%%", line.maxDrawdown * 100), String(format: "%.2f", line.feesPaid), "\(line.fills)",
                    line.buyAndHoldReturn.map(percent) ?? "-",
                ]
            })
    }
}
