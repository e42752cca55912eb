import Foundation
import MarketPipeline
import UpdraftRuntime

/// `alerts` (scheduled on the assets `indicators_1m` or `predictions`): evaluates the rules of
/// `alerts.rules` (docs/alerts-and-trading.md) for each tracked pair over the candles, indicators
/// and predictions stored since the last bar each rule evaluated, with hysteresis kept in
/// `alert_state`. Each firing is stored once in `alert_firings` (unique per rule, symbol and
/// candle) and sent to `alerts.channels` (all channels when empty) under the key
/// `alert:<rule>:<symbol>:<open time ms>`, which the engine sends once, ever: a re-run stores and
/// sends nothing again.
///
/// ```sql
/// SELECT rule, symbol, open_time, message FROM alert_firings ORDER BY open_time DESC LIMIT 10;
/// ```
enum AlertsDAG {
    static let dag = DAG(
        "alerts", assets: .any(MarketAssets.indicators1m, MarketAssets.predictions), startDate: .utc(2024, 1, 1),
        maxActiveRuns: 1, tags: ["crypto"],
        description: "Market alerts from configured rules on candles, indicators and predictions."
    ) { d in
        d.task("evaluate") { ctx in
            let configuration = try ctx.configuration
            let rules: [AlertRule]
            do { rules = try AlertRuleSyntax.parse(configuration[.alertsRules]) } catch { throw TaskFailure("\(error)") }
            guard !rules.isEmpty else {
                ctx.log.info("no alert rules configured (alerts.rules): nothing to evaluate")
                return
            }
            let stores = try ctx.stores
            let horizon = configuration[.modelsHorizonMinutes]
            var fired = 0
            for pair in try PipelineQueries.trackedPairs(in: stores.warehouse) {
                let new = try AlertScan.run(symbol: pair, rules: rules, stores: stores, horizonMinutes: horizon, runId: ctx.runId)
                fired += new.count
                for firing in new { ctx.log.info("alert \(firing.rule) fired: \(firing.message)") }
            }
            // Every firing this run stored is handed to the engine, also on a retry whose earlier
            // try stored them: the engine sends each key once.
            let channels = configuration[.alertsChannels]
            let stored = try stores.alerts.firings(runId: ctx.runId, limit: 10_000)
            for firing in stored.reversed() { notify(ctx, firing, channels: channels) }
            ctx.log.info("\(rules.count) rules evaluated: \(fired) new firings, \(stored.count) notified by this run")
        }
    }

    /// The firing's message to the notification channels.
    static func notify(_ ctx: TaskContext, _ firing: AlertStore.Firing, channels: [String]) {
        ctx.notify(
            key: firing.notificationKey, event: "market_alert", title: firing.notificationTitle, lines: firing.notificationLines,
            channels: channels.isEmpty ? nil : channels)
    }
}
