import Foundation
import MarketData

/// The entry point of the `training` and `scoring` DAGs: trains, registers, predicts and scores
/// per symbol, over a home directory (`<home>/market.db`, `<home>/models/`).
///
/// ```swift
/// let forecaster = try Forecaster(home: "runs")
/// let trained = try forecaster.train(symbol: "BTCUSDT", candles: series, horizonMinutes: 60)
/// let scored = try forecaster.score(symbol: "BTCUSDT", candles: series, now: Date())
/// ```
public struct Forecaster: Sendable {
    /// The model registry (also the database of predictions).
    public let registry: ModelRegistry

    /// A forecaster over `home`, creating its directories and tables if needed.
    public init(home: String) throws {
        registry = try ModelRegistry(home: home)
    }

    /// A forecaster over a registry that shares the process's ``MarketDatabase``.
    public init(registry: ModelRegistry) {
        self.registry = registry
    }

    /// Builds the dataset from the candles closed by `now`, validates every configured model
    /// kind walk-forward against the zero baseline, fits each on the latest training window and registers them; the lowest
    /// validation MSE becomes the best model for `symbol`, `interval` (the candles' interval, which the models record)
    /// and `horizonMinutes`.
    public func train(
        symbol: String, interval: KlineInterval = .oneMinute, candles: CandleSeries, horizonMinutes: Int = 60,
        configuration: TrainingConfiguration = .init(), now: Date = Date()
    ) throws -> TrainingResult {
        var datasetConfiguration = configuration.dataset
        datasetConfiguration.horizonMinutes = horizonMinutes
        // Only closed candles: an in-progress one must not serve as a target's close.
        var series: CandleSeries
        do { series = try Self.closedCandles(candles, now: Int64((now.timeIntervalSince1970 * 1_000_000).rounded())) } catch let error
            as ForecastingError
        { throw ForecastingError.invalidDataset("\(symbol): \(error)") }
        if let maxRows = configuration.maxRows, let bar = try? Dataset.barInterval(candles) {
            let longest = (datasetConfiguration.returnLagMinutes + [horizonMinutes]).max() ?? horizonMinutes
            let needed = maxRows + configuration.warmupBars + 2 * Int(Int64(longest) * 60_000_000 / bar)
            if series.count > needed { series = Self.tail(series, needed) }
        }
        var dataset: Dataset
        do { dataset = try Dataset(series: series, configuration: datasetConfiguration) } catch let error as ForecastingError {
            throw ForecastingError.invalidDataset("\(symbol): \(error)")
        }
        if let maxRows = configuration.maxRows, dataset.times.count > maxRows {
            dataset = dataset.slice((dataset.times.count - maxRows)..<dataset.times.count)
        }
        let gap = Int64(max(configuration.gapMinutes, horizonMinutes)) * 60_000_000
        let plan = WalkForward(
            folds: configuration.folds, testFraction: configuration.testFraction,
            gapMicros: gap, maxTrainRows: configuration.maxTrainRows)
        let folds: [WalkForward.Fold]
        do { folds = try plan.folds(times: dataset.times) } catch let error as ForecastingError {
            throw ForecastingError.invalidDataset("\(symbol): \(error)")
        }
        let fitter = ModelFitter(configuration: configuration, featureNames: dataset.featureNames, horizonMinutes: horizonMinutes)
        var actuals = [Double]()
        for fold in folds { actuals.append(contentsOf: dataset.targets[fold.test]) }
        let baseline = ForecastMetrics(predictions: [Double](repeating: 0, count: actuals.count), actuals: actuals)
        let n = dataset.times.count
        let window = (configuration.maxTrainRows.map { max(0, n - $0) } ?? 0)..<n
        let training = dataset.slice(window)
        var candidates = [ModelCandidate]()
        for kind in configuration.kinds {
            var predictions = [Double]()
            for fold in folds {
                let train = dataset.slice(fold.train)
                let model = try fitter.fit(kind, train.features, train.targets)
                predictions.append(contentsOf: model.predict(dataset.features.selecting(rows: fold.test)))
            }
            let model = try fitter.fit(kind, training.features, training.targets)
            candidates.append(
                ModelCandidate(
                    model: model, parameters: fitter.parameters(kind),
                    validation: ForecastMetrics(predictions: predictions, actuals: actuals),
                    baseline: baseline))
        }
        let trainingWindow = TrainingWindow(
            start: training.times.first ?? 0, end: training.times.last ?? 0,
            rows: training.times.count, fingerprint: dataset.fingerprint(rows: window))
        let registered = try registry.register(
            symbol: symbol, interval: interval, horizonMinutes: horizonMinutes, features: dataset.featureNames,
            window: trainingWindow, candidates: candidates,
            createdAt: Int64((now.timeIntervalSince1970 * 1_000_000).rounded()))
        return TrainingResult(models: registered.models, best: registered.best, datasetRows: n, folds: folds)
    }
}
