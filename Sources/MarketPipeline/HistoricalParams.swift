import Foundation
import MarketData
import UpdraftConfig
import UpdraftRuntime

/// `historical`'s params, as a run's conf gives them (`updraft data backfill` writes them; a
/// scheduled run leaves them all out): which pairs, from which exchanges, from which day, and
/// which months only. Bad values fail the run naming the param.
///
/// ```
/// updraft dags trigger historical --conf '{"symbols": ["BTCUSDT"], "months": ["2024-01"]}'
/// ```
public struct HistoricalParams: Sendable {
    /// The DAG's declared params.
    public static let dagParams: [DAGParam] = [
        DAGParam(
            "symbols", kind: .array, description: "Pairs to backfill (BTCUSDT); default: the tracked ones with no candle in the last month."
        ),
        DAGParam(
            "exchanges", kind: .array,
            description: "Exchanges to backfill from (default: binance, from its archive; the others from their REST history)."),
        .string(
            "start", default: nil, description: "First day of the window (YYYY-MM-DD); default: data.history_months whole months back."),
        DAGParam(
            "months", kind: .array, description: "Only these months (YYYY-MM) of the window, e.g. the partitions data backfill found."),
    ]

    public var symbols: [String]?
    public var exchanges: [ExchangeID]
    public var start: Date?
    public var months: [String]?
    /// `data.history_months`, for the default window.
    public var historyMonths: Int

    /// The params of the task's run, checked.
    public init(_ ctx: TaskContext) throws {
        symbols = try ctx.param("symbols", as: [String].self)?.map { $0.uppercased() }
        let names = try ctx.param("exchanges", as: [String].self) ?? ["binance"]
        exchanges = try names.map { name in
            let exchange: ExchangeID
            do { exchange = try ExchangeID(configured: name) } catch {
                throw MarketConfigError(key: "historical param exchanges", message: "\(error)")
            }
            return exchange
        }
        if let text = try ctx.param("start", as: String.self) {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            guard let date = formatter.date(from: text) else {
                throw MarketConfigError(key: "historical param start", message: "\"\(text)\" is not a day (YYYY-MM-DD)")
            }
            start = date
        }
        months = try ctx.param("months", as: [String].self)
        for month in months ?? [] where PartitionState.bounds(ofMonth: month) == nil {
            throw MarketConfigError(key: "historical param months", message: "\"\(month)\" is not a month (YYYY-MM)")
        }
        historyMonths = try ctx.resource(UpdraftConfiguration.self)[.dataHistoryMonths]
    }

    /// The months of the window ending at `end` that this run loads: `months` when given, else all.
    public func monthsToLoad(end: Date) -> [String] {
        months ?? PartitionState.months(from: windowStart(end: end).micros, to: end.micros - 1)
    }

    /// Where the window starts: `start`, else `data.history_months` whole months before `end`.
    public func windowStart(end: Date) -> Date {
        start ?? BackfillWindow.start(end: end, months: historyMonths)
    }
}
