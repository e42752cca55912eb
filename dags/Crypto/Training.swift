import Forecasting
import Foundation
import MarketData
import MarketPipeline
import UpdraftRuntime

/// `training` (scheduled on the asset `indicators_1m`): retrains each tracked symbol whose best model
/// at the run's `interval` (param, `1m` unless given; one of `data.intervals`) is older than
/// `models.retrain_after_hours` (or missing), on its last `models.training_days` of candles of that
/// interval (`tickerdata_<interval>`, complete buckets; at `1m` with the forward-filled minutes when
/// `data.forward_fill` is on): naive baseline, ridge and gradient-boosted trees, validated
/// walk-forward, registered with their interval and the best chosen by validation MSE per symbol,
/// interval and horizon. Then `publish` updates the asset `models`.
///
/// ```
/// updraft dags trigger training --conf '{"interval": "5m"}'
/// ```
enum Training {
    static let dag = DAG(
        "training", assets: .asset(MarketAssets.indicators1m), startDate: .utc(2024, 1, 1),
        maxActiveRuns: 1, tags: ["crypto"],
        description: "Train and register forecasting models per symbol.",
        params: [IntervalParam.dagParam]
    ) { d in
        let pick = d.task("pick_symbols") { ctx in
            let stores = try ctx.stores, configuration = try ctx.configuration
            let interval = try IntervalParam.interval(ctx)
            let horizon = configuration[.modelsHorizonMinutes]
            let maxAge = Double(configuration[.modelsRetrainAfterHours]) * 3600
            let pairs = try PipelineQueries.trackedPairs(in: stores.warehouse)
            let stale = try pairs.filter { pair in
                guard let best = try stores.forecaster.registry.bestModel(symbol: pair, interval: interval, horizonMinutes: horizon)
                else { return true }
                return ctx.logicalDate.timeIntervalSince(Date(micros: best.createdAt)) >= maxAge
            }
            ctx.log.info("\(stale.count) of \(pairs.count) symbols need (re)training at \(interval.rawValue)")
            return stale
        }
        let train = d.factory("train", from: pick) { pairs, g in
            for pair in pairs { g.task(pair) { ctx in try Training.train(pair, ctx: ctx) } }
        }
        let publish = d.task("publish", options: TaskOptions().updating(MarketAssets.models)) { ctx in
            ctx.log.info("the model registry is up to date; models is updated")
        }
        train >> publish
    }

    static func train(_ pair: String, ctx: TaskContext) throws {
        let stores = try ctx.stores, configuration = try ctx.configuration
        let horizon = configuration[.modelsHorizonMinutes]
        let days = configuration[.modelsTrainingDays]
        let end = ctx.logicalDate
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        let interval = try IntervalParam.interval(ctx)
        let candles = try CandleReads.closed(
            pair, interval: interval, from: start.micros, to: end.micros, stores: stores, configuration: configuration)
        let result = try stores.forecaster.train(
            symbol: pair, interval: interval, candles: candles, horizonMinutes: horizon,
            now: ctx.logicalDate)
        for model in result.models {
            let v = model.validation, b = model.baseline
            ctx.log.info(
                "\(pair) \(model.kind) v\(model.version): MSE \(v.mse) (baseline \(b.mse)), MAE \(v.mae), "
                    + "R² \(v.r2), direction \(v.directionalAccuracy)")
        }
        ctx.log.info(
            "\(pair) \(interval.rawValue): best model \(result.best.id) from \(result.datasetRows) rows in \(result.folds.count) folds")
    }
}

/// `scoring` (scheduled on the assets `models` or `indicators_1m`): predicts the forward return for the latest candles of
/// each symbol at the run's `interval` (param, `1m` unless given; one of `data.intervals`) with its best
/// model of that interval, and scores matured predictions of that interval's models against what
/// happened, keeping live metrics per model so drift shows. Then `publish` updates the asset `predictions`.
enum Scoring {
    static let dag = DAG(
        "scoring", assets: .any(MarketAssets.models, MarketAssets.indicators1m),
        startDate: .utc(2024, 1, 1), maxActiveRuns: 1, tags: ["crypto"],
        description: "Predict with the best model per symbol and score matured predictions.",
        params: [IntervalParam.dagParam]
    ) { d in
        let pick = d.task("pick_symbols") { ctx in
            let stores = try ctx.stores
            let horizon = try ctx.configuration[.modelsHorizonMinutes]
            let interval = try IntervalParam.interval(ctx)
            let pairs = try PipelineQueries.trackedPairs(in: stores.warehouse)
            let ready = try pairs.filter {
                try stores.forecaster.registry.bestModel(symbol: $0, interval: interval, horizonMinutes: horizon) != nil
            }
            ctx.log.info("\(ready.count) of \(pairs.count) symbols have a model at \(interval.rawValue)")
            return ready
        }
        let score = d.factory("score", from: pick) { pairs, g in
            for pair in pairs { g.task(pair) { ctx in try Scoring.score(pair, ctx: ctx) } }
        }
        let publish = d.task("publish", options: TaskOptions().updating(MarketAssets.predictions)) { ctx in
            ctx.log.info("predictions are written and scored; predictions is updated")
        }
        score >> publish
    }

    static func score(_ pair: String, ctx: TaskContext) throws {
        let stores = try ctx.stores, configuration = try ctx.configuration
        let horizon = configuration[.modelsHorizonMinutes]
        let interval = try IntervalParam.interval(ctx)
        let now = max(ctx.logicalDate, ctx.dataInterval.end)
        // Two days, or 1,200 bars of a coarser interval, cover the feature lookbacks and every
        // prediction maturing now.
        let window = max(2 * 86_400, 1_200 * Double((interval.microseconds ?? 60_000_000) / 1_000_000))
        let candles = try CandleReads.closed(
            pair, interval: interval, from: now.addingTimeInterval(-window).micros, to: now.micros, stores: stores,
            configuration: configuration)
        let result = try stores.forecaster.score(
            symbol: pair, interval: interval, candles: candles, now: now,
            horizonMinutes: horizon)
        ctx.log.info(
            "\(pair) \(interval.rawValue): \(result.written.count) predictions with \(result.model.id), "
                + "\(result.scored.count) matured predictions scored")
    }
}
