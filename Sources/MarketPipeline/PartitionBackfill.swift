import Foundation
import MarketData
import UpdraftConfig
import UpdraftRuntime

/// Partitions (symbol × exchange × UTC month) of the backfill window and what `historical` must
/// load to complete them: the missing, partial and failed months only (Dagster's partitioned
/// backfills, on our DAGs).
///
/// ```swift
/// let states = try PartitionBackfill.refresh(warehouse, symbols: ["BTCUSDT"], exchanges: [.binance], from: start, now: Date())
/// if let conf = PartitionBackfill.conf(for: states, start: start) { try await engine.trigger(dagId: "historical", conf: conf) }
/// ```
public enum PartitionBackfill {
    /// Computes and stores the states of every month from `from` to `now` of `symbols` on `exchanges`.
    public static func refresh(
        _ warehouse: KlineWarehouse, symbols: [String], exchanges: [ExchangeID], from: Date, now: Date
    ) throws -> [PartitionState] {
        let months = PartitionState.months(from: from.micros, to: now.micros - 1)
        var states: [PartitionState] = []
        for exchange in exchanges {
            for symbol in symbols {
                states += try warehouse.refreshPartitions(exchange: exchange, symbol: symbol, months: months, now: now)
            }
        }
        return states
    }

    /// The tracked pairs (Binance names), what the commands work on by default.
    public static func trackedSymbols(_ warehouse: KlineWarehouse) throws -> [String] {
        try PipelineQueries.trackedCanonicalPairs(in: warehouse).map(\.binanceSymbol)
    }

    /// `historical`'s conf for the partitions of `states` that need loading (missing, partial,
    /// failed), from `start`; nil when every partition is loaded.
    public static func conf(for states: [PartitionState], start: Date) -> [String: JSONValue]? {
        let needed = states.filter { $0.state.needsBackfill }
        guard !needed.isEmpty else { return nil }
        let symbols = Array(Set(needed.map(\.symbol))).sorted()
        let months = Array(Set(needed.map(\.month))).sorted()
        let exchanges = Array(Set(needed.map(\.exchange))).sorted()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return [
            "symbols": .array(symbols.map(JSONValue.string)), "exchanges": .array(exchanges.map { .string($0.rawValue) }),
            "months": .array(months.map(JSONValue.string)), "start": .string(formatter.string(from: start)),
        ]
    }

    /// The first day of `YYYY-MM` or the day `YYYY-MM-DD`; nil when the text is neither.
    public static func startDate(_ text: String) -> Date? {
        if let (start, _) = PartitionState.bounds(ofMonth: text) { return Date(micros: start) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
