import Forecasting
import HTTPTypes
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftStore

/// `/api/market/v1/models`, `/models/best` and `/predictions/latest`: the model registry's
/// versions with their walk-forward metrics next to the zero-return baseline's, and the newest
/// predictions (log returns over the horizon).
enum ForecastRoutes {
    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, MarketRoutes.prefix + "/models", id: "market_get_models", tag: MarketRoutes.tag,
                summary: "List model versions with their metrics against the naive baseline", role: .viewer,
                query: QueryParameter.paging + [.init("symbol", .string, "Only the models of this pair, e.g. BTCUSDT.")],
                responses: [.ok("MarketModelCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                let symbol = request.string("symbol")?.uppercased()
                let page = request.page
                return try await BlockingRead.run {
                    let registry = stores.forecaster.registry
                    let models = try registry.models(symbol: symbol)
                    return try modelsAnswer(Array(models.dropFirst(page.offset).prefix(page.limit)), total: models.count, registry)
                }
            },
            Endpoint(
                .get, MarketRoutes.prefix + "/models/best", id: "market_get_best_models", tag: MarketRoutes.tag,
                summary: "List the best model of every symbol and horizon", role: .viewer,
                query: [.init("symbol", .string, "Only the best models of this pair, e.g. BTCUSDT.")],
                responses: [.ok("MarketModelCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                let symbol = request.string("symbol")?.uppercased()
                return try await BlockingRead.run {
                    let registry = stores.forecaster.registry
                    let models = try registry.bestModels(symbol: symbol)
                    return try modelsAnswer(models, total: models.count, registry)
                }
            },
            Endpoint(
                .get, MarketRoutes.prefix + "/predictions/latest", id: "market_get_latest_predictions", tag: MarketRoutes.tag,
                summary: "Get the newest prediction of every symbol and horizon", role: .viewer,
                responses: [.ok("MarketPredictionCollectionResponse")]
            ) { request in
                let stores = try request.marketStores()
                return try await BlockingRead.run {
                    let predictions = try stores.forecaster.registry.latestPredictions()
                    return .json(capacity: 300 * predictions.count + 64) { json in
                        json.object { o in
                            o.field("predictions") { json in
                                json.array(predictions) { json, p in
                                    json.object { o in
                                        o.field("symbol", p.symbol)
                                        o.field("horizon_minutes", p.horizonMinutes)
                                        o.field("model_version", p.modelVersion)
                                        o.field("time", UTCCalendar.iso8601(microseconds: p.time))
                                        o.field("target_time", UTCCalendar.iso8601(microseconds: p.targetTime))
                                        o.field("prediction", p.prediction)
                                        o.field("realised", p.realised)
                                        o.field("created_at", UTCCalendar.iso8601(microseconds: p.createdAt))
                                        o.field("scored_at", p.scoredAt.map { UTCCalendar.iso8601(microseconds: $0) })
                                    }
                                }
                            }
                            o.field("total_entries", predictions.count)
                        }
                    }
                }
            },
        ]
    }

    /// `{models, total_entries}` with each model's standing (best, live metrics).
    static func modelsAnswer(_ models: [ModelRecord], total: Int, _ registry: ModelRegistry) throws -> APIResponse {
        let best = try registry.bestModelIDs()
        let live = try Dictionary(uniqueKeysWithValues: models.map { ($0.id, try registry.liveMetrics(modelVersion: $0.id)?.metrics) })
        return .json(capacity: 1024 * models.count + 64) { json in
            json.object { o in
                o.field("models") { json in
                    json.array(models) { json, model in
                        json.object { o in write(model, isBest: best.contains(model.id), live: live[model.id] ?? nil, to: &o) }
                    }
                }
                o.field("total_entries", total)
            }
        }
    }

    static func write(_ m: ModelRecord, isBest: Bool, live: ForecastMetrics?, to o: inout ObjectWriter) {
        o.field("id", m.id)
        o.field("symbol", m.symbol)
        o.field("interval", m.interval.rawValue)
        o.field("horizon_minutes", m.horizonMinutes)
        o.field("kind", m.kind.rawValue)
        o.field("version", m.version)
        o.field("training_run", m.trainingRun)
        o.field("created_at", UTCCalendar.iso8601(microseconds: m.createdAt))
        o.field("features", strings: m.features)
        o.field("parameters") { json in
            json.object { o in for key in m.parameters.keys.sorted() { o.field(key, m.parameters[key]!) } }
        }
        o.field("train_start", UTCCalendar.iso8601(microseconds: m.trainStart))
        o.field("train_end", UTCCalendar.iso8601(microseconds: m.trainEnd))
        o.field("train_rows", m.trainRows)
        o.field("data_fingerprint", m.dataFingerprint)
        o.field("validation") { json in write(m.validation, to: &json) }
        o.field("baseline") { json in write(m.baseline, to: &json) }
        // Skill against the zero-return baseline: 1 − MSE / baseline MSE (> 0 beats it).
        o.field("skill", m.baseline.mse > 0 ? 1 - m.validation.mse / m.baseline.mse : nil)
        o.field("beats_baseline", m.validation.mse < m.baseline.mse)
        o.field("is_best", isBest)
        o.field("live") { json in if let live { write(live, to: &json) } else { json.null() } }
    }

    static func write(_ metrics: ForecastMetrics, to json: inout JSONWriter) {
        json.object { o in
            o.field("count", metrics.count)
            o.field("mse", metrics.mse)
            o.field("mae", metrics.mae)
            o.field("r2", metrics.r2)
            o.field("directional_accuracy", metrics.directionalAccuracy)
        }
    }
}
