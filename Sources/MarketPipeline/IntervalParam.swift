import Foundation
import MarketData
import UpdraftConfig
import UpdraftRuntime

/// The `interval` param of `training` and `scoring`: which candles (and indicators) a run reads,
/// `1m` unless given, and one of `data.intervals` (the intervals the pipeline keeps). Anything
/// else fails the run naming the param and the value.
///
/// ```
/// updraft dags trigger training --conf '{"interval": "5m"}'
/// ```
public enum IntervalParam {
    /// The declared param.
    public static let dagParam = DAGParam.string(
        "interval", default: "1m",
        description: "Candle interval to read: 1m or one of data.intervals (5m, 1h, …); default 1m.")

    /// The run's interval, checked against `data.intervals`.
    /// - Throws: ``MarketConfigError`` naming `<dag> param interval` and the value.
    public static func interval(_ ctx: TaskContext) throws -> KlineInterval {
        let text = try ctx.param("interval", as: String.self) ?? "1m"
        let configuration = try ctx.resource(UpdraftConfiguration.self)
        return try check(text, dag: ctx.dagId, configured: configured(configuration))
    }

    /// The intervals a run may ask for: `1m` and the resampled intervals of `data.intervals`.
    public static func configured(_ configuration: UpdraftConfiguration) -> [KlineInterval] {
        [.oneMinute] + MarketClients.resampledIntervals(configuration)
    }

    /// `text` as one of `configured`, or an error naming the param and the value.
    public static func check(_ text: String, dag: String, configured: [KlineInterval]) throws -> KlineInterval {
        guard let interval = KlineInterval(name: text), configured.contains(interval) else {
            throw MarketConfigError(
                key: "\(dag) param interval",
                message: "\"\(text)\" is not a configured interval (data.intervals: "
                    + configured.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return interval
    }
}
