import Foundation
import GRDB
import MarketData

/// The `alerts` DAG's tables in `market.db` (`alert_firings`, `alert_state`; ``MarketDatabase``
/// owns their migrations): the firings, unique per rule, symbol and candle, and each rule's arm
/// state per symbol between runs.
public final class AlertStore: Sendable {
    public let database: MarketDatabase

    public init(database: MarketDatabase) { self.database = database }

    /// A stored firing (times in µs).
    public struct Firing: Sendable, Hashable, Codable {
        public var rule: String
        public var symbol: String
        /// The firing candle's open time, µs.
        public var openTime: Int64
        /// The rule's condition in the rule syntax (`rsi_above level=70`).
        public var condition: String
        public var value: Double
        public var close: Double
        public var message: String
        /// The `alerts` run that stored it.
        public var runId: String
        /// When it was stored, µs.
        public var firedAt: Int64
    }

    /// The arm state of each rule for `symbol`, with the condition text it was kept for.
    public func states(symbol: String) throws -> [String: (condition: String, state: AlertArmState)] {
        try database.writer.read { db in
            var out: [String: (condition: String, state: AlertArmState)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT rule, condition, armed, last_open_time, side FROM alert_state WHERE symbol = ?", arguments: [symbol])
            {
                let last: Int64? = row[3]
                out[row[0]] = (row[1], AlertArmState(armed: row[2], lastOpenTime: last.map { $0 / 1_000 }, side: row[4]))
            }
            return out
        }
    }

    /// Stores `firings` (ignoring those already stored) and the new arm states of `symbol`, in
    /// one transaction; returns the firings that were new.
    public func record(
        symbol: String, states: [(rule: AlertRule, state: AlertArmState)], firings: [(rule: AlertRule, firing: AlertFiring)],
        runId: String, now: Date
    ) throws -> [Firing] {
        try database.writer.write { db in
            var inserted: [Firing] = []
            for (rule, firing) in firings {
                let stored = Firing(
                    rule: rule.name, symbol: symbol, openTime: firing.openTime * 1_000, condition: rule.condition.text, value: firing.value,
                    close: firing.close, message: firing.message, runId: runId, firedAt: now.micros)
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO alert_firings (rule, symbol, open_time, condition, value, close, message, run_id, fired_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        stored.rule, symbol, stored.openTime, stored.condition, stored.value, stored.close, stored.message, runId,
                        stored.firedAt,
                    ])
                if db.changesCount == 1 { inserted.append(stored) }
            }
            for (rule, state) in states {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO alert_state (rule, symbol, condition, armed, last_open_time, side, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        rule.name, symbol, rule.condition.text, state.armed, state.lastOpenTime.map { $0 * 1_000 }, state.side, now.micros,
                    ])
            }
            return inserted
        }
    }

    /// Firings newest first, optionally of one symbol, from a time (µs) on, or stored by one run.
    public func firings(symbol: String? = nil, since: Int64? = nil, runId: String? = nil, limit: Int = 100) throws -> [Firing] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT rule, symbol, open_time, condition, value, close, message, run_id, fired_at FROM alert_firings
                    WHERE (?1 IS NULL OR symbol = ?1) AND open_time >= ?2 AND (?3 IS NULL OR run_id = ?3)
                    ORDER BY open_time DESC, symbol, rule LIMIT ?4
                    """, arguments: [symbol, since ?? Int64.min, runId, limit]
            ).map {
                Firing(
                    rule: $0[0], symbol: $0[1], openTime: $0[2], condition: $0[3], value: $0[4], close: $0[5], message: $0[6],
                    runId: $0[7], firedAt: $0[8])
            }
        }
    }
}
