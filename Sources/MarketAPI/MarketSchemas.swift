import Indicators
import MarketPipeline
import UpdraftAPI
import UpdraftCore

/// The component schemas of the market routes' answers (names start with `Market`, apart from
/// Airflow's). Prices and volumes are exact decimal strings (`"7195.24000000"`, Binance's own
/// text: the warehouse stores them as fixed decimals, and a JSON number would round them through
/// a double); times are ISO 8601 UTC strings.
enum MarketSchemas {
    static let decimal: JSONValue = .object([
        "type": "string", "pattern": "^-?[0-9]+\\.[0-9]{8}$",
        "description": "An exact decimal with 8 places, as Binance writes it.",
    ])
    static let dateTime = Schema.dateTime
    static let number = Schema.nullable(Schema.number)

    static func collection(_ plural: String, _ item: String) -> JSONValue {
        Schema.object([(plural, Schema.array(Schema.ref(item))), ("total_entries", Schema.integer)], required: [plural, "total_entries"])
    }

    static var components: [String: JSONValue] {
        var s: [String: JSONValue] = [:]
        s["MarketSymbolResponse"] = Schema.object(
            [
                ("symbol", Schema.string), ("coin_id", Schema.nullable(Schema.string)), ("name", Schema.nullable(Schema.string)),
                ("rank", Schema.nullable(Schema.integer)),
                ("tracking", Schema.enumeration(SymbolOverview.Tracking.allCases.map(\.rawValue))),
                ("last_updated_at", Schema.nullable(dateTime)), ("rows", Schema.integer),
                ("first_open_time", Schema.nullable(dateTime)), ("last_open_time", Schema.nullable(dateTime)),
            ],
            required: [
                "symbol", "coin_id", "name", "rank", "tracking", "last_updated_at", "rows", "first_open_time", "last_open_time",
            ])
        s["MarketSymbolCollectionResponse"] = collection("symbols", "MarketSymbolResponse")
        let candleFields: [(String, JSONValue)] = [
            ("open_time", dateTime), ("open", decimal), ("high", decimal), ("low", decimal), ("close", decimal),
            ("volume", decimal), ("close_time", dateTime), ("quote_volume", decimal), ("trades", Schema.integer),
            ("taker_buy_base_volume", decimal), ("taker_buy_quote_volume", decimal), ("partial", Schema.boolean),
        ]
        s["MarketCandle"] = Schema.object(candleFields, required: candleFields.map(\.0))
        s["MarketCandlesResponse"] = Schema.object(
            [
                ("symbol", Schema.string), ("interval", Schema.enumeration(CandleRoutes.intervals)),
                ("candles", Schema.array(Schema.ref("MarketCandle"))),
            ], required: ["symbol", "interval", "candles"])
        let indicatorFields = [("open_time", dateTime)] + IndicatorSet.columns.map { ($0, number) }
        s["MarketIndicatorRow"] = Schema.object(indicatorFields, required: indicatorFields.map(\.0))
        s["MarketIndicatorsResponse"] = Schema.object(
            [
                ("symbol", Schema.string), ("interval", Schema.enumeration(IndicatorRoutes.intervals)),
                ("indicators", Schema.array(Schema.ref("MarketIndicatorRow"))),
            ], required: ["symbol", "interval", "indicators"])
        s["MarketGap"] = Schema.object(
            [("start", dateTime), ("end", dateTime), ("missing", Schema.integer)], required: ["start", "end", "missing"])
        s["MarketGapsResponse"] = Schema.object(
            [
                ("symbol", Schema.string), ("interval", Schema.enumeration(["1m"])), ("gaps", Schema.array(Schema.ref("MarketGap"))),
                ("total_entries", Schema.integer), ("missing", Schema.integer),
            ], required: ["symbol", "interval", "gaps", "total_entries", "missing"])
        let metricFields: [(String, JSONValue)] = [
            ("count", Schema.integer), ("mse", number), ("mae", number), ("r2", number), ("directional_accuracy", number),
        ]
        s["MarketForecastMetrics"] = Schema.object(metricFields, required: metricFields.map(\.0))
        let modelFields: [(String, JSONValue)] = [
            ("id", Schema.string), ("symbol", Schema.string), ("interval", Schema.string), ("horizon_minutes", Schema.integer),
            ("kind", Schema.string),
            ("version", Schema.integer), ("training_run", Schema.string), ("created_at", dateTime),
            ("features", Schema.array(Schema.string)),
            ("parameters", .object(["type": "object", "additionalProperties": Schema.string])),
            ("train_start", dateTime), ("train_end", dateTime), ("train_rows", Schema.integer), ("data_fingerprint", Schema.string),
            ("validation", Schema.ref("MarketForecastMetrics")), ("baseline", Schema.ref("MarketForecastMetrics")),
            ("skill", number), ("beats_baseline", Schema.boolean), ("is_best", Schema.boolean),
            ("live", Schema.nullable(Schema.ref("MarketForecastMetrics"))),
        ]
        s["MarketModelResponse"] = Schema.object(modelFields, required: modelFields.map(\.0))
        s["MarketModelCollectionResponse"] = collection("models", "MarketModelResponse")
        let predictionFields: [(String, JSONValue)] = [
            ("symbol", Schema.string), ("horizon_minutes", Schema.integer), ("model_version", Schema.string),
            ("time", dateTime), ("target_time", dateTime), ("prediction", number), ("realised", number),
            ("created_at", dateTime), ("scored_at", Schema.nullable(dateTime)),
        ]
        s["MarketPredictionResponse"] = Schema.object(predictionFields, required: predictionFields.map(\.0))
        s["MarketPredictionCollectionResponse"] = collection("predictions", "MarketPredictionResponse")
        let alertFields: [(String, JSONValue)] = [
            ("rule", Schema.string), ("symbol", Schema.string), ("open_time", dateTime), ("condition", Schema.string),
            ("value", Schema.number), ("close", Schema.number), ("message", Schema.string), ("run_id", Schema.string),
            ("fired_at", dateTime),
        ]
        s["MarketAlertResponse"] = Schema.object(alertFields, required: alertFields.map(\.0))
        s["MarketAlertCollectionResponse"] = collection("alerts", "MarketAlertResponse")
        let fillFields: [(String, JSONValue)] = [
            ("time", dateTime), ("quantity", Schema.number), ("price", Schema.number), ("fee", Schema.number),
        ]
        s["MarketFill"] = Schema.object(fillFields, required: fillFields.map(\.0))
        let tradeFields: [(String, JSONValue)] = [
            ("symbol", Schema.string), ("client_order_id", Schema.string), ("decided_at", dateTime),
            ("side", Schema.enumeration(["BUY", "SELL"])), ("reason", Schema.enumeration(["signal", "stop_loss", "daily_loss_limit"])),
            ("status", Schema.enumeration(["filled", "rejected", "sending", "unknown"])),
            ("exchange_order_id", Schema.nullable(Schema.integer)), ("message", Schema.nullable(Schema.string)),
            ("fill", Schema.nullable(Schema.ref("MarketFill"))),
        ]
        s["MarketTradeResponse"] = Schema.object(tradeFields, required: tradeFields.map(\.0))
        let modes = Schema.enumeration(["paper", "sandbox", "live"])
        s["MarketTradeCollectionResponse"] = Schema.object(
            [("mode", modes), ("trades", Schema.array(Schema.ref("MarketTradeResponse"))), ("total_entries", Schema.integer)],
            required: ["mode", "trades", "total_entries"])
        let lineFields: [(String, JSONValue)] = [
            ("symbol", Schema.string), ("bars", Schema.integer), ("from", Schema.nullable(dateTime)), ("to", Schema.nullable(dateTime)),
            ("starting_cash", Schema.number), ("equity", Schema.number), ("total_return", Schema.number), ("sharpe", Schema.number),
            ("max_drawdown", Schema.number), ("fees_paid", Schema.number), ("fills", Schema.integer),
            ("buy_and_hold_return", number), ("position", Schema.number),
        ]
        s["MarketPnLLine"] = Schema.object(lineFields, required: lineFields.map(\.0))
        s["MarketPnLResponse"] = Schema.object(
            [
                ("mode", Schema.enumeration(["paper", "sandbox", "live", "backtest"])),
                ("symbols", Schema.array(Schema.ref("MarketPnLLine"))),
                ("total", Schema.nullable(Schema.ref("MarketPnLLine"))),
            ],
            required: ["mode", "symbols", "total"])
        let universeFields: [(String, JSONValue)] = [
            ("pair", Schema.string), ("id", Schema.string), ("name", Schema.string), ("rank", Schema.nullable(Schema.integer)),
            ("tracked", Schema.boolean), ("reason", Schema.string), ("origin", Schema.enumeration(["coingecko", "manual"])),
            ("in_top", Schema.boolean), ("untracked_at", Schema.nullable(dateTime)),
            ("manual", Schema.nullable(Schema.enumeration(["track", "untrack"]))),
        ]
        s["MarketUniverseEntryResponse"] = Schema.object(universeFields, required: universeFields.map(\.0))
        s["MarketUniverseCollectionResponse"] = collection("pairs", "MarketUniverseEntryResponse")
        s["MarketUniversePairBody"] = Schema.object([("pair", Schema.string)], required: ["pair"])
        s["MarketUniverseTrackingBody"] = Schema.object(
            [("tracking", Schema.enumeration(["track", "untrack", "auto"]))], required: ["tracking"])
        return s
    }
}
