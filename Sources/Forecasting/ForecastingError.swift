/// Errors of the forecasting module; each names the thing at fault.
public enum ForecastingError: Error, Equatable, CustomStringConvertible {
    /// A model could not be fitted (no rows, singular system, …).
    case trainingFailed(String)
    /// The candle series cannot make a dataset (too short, unsorted, unknown feature …).
    case invalidDataset(String)
    /// The model's artifact file does not exist.
    case modelFileMissing(version: String, path: String)
    /// The model's artifact file cannot be decoded or fails its checksum.
    case modelFileCorrupt(version: String, path: String, reason: String)
    /// The features the model was trained on cannot be produced, or differ from the artifact's.
    case featuresDoNotMatch(version: String, reason: String)
    /// No model with this version is registered.
    case unknownModel(String)
    /// No best model is registered for this symbol and horizon.
    case noModel(symbol: String, horizonMinutes: Int)

    public var description: String {
        switch self {
        case .trainingFailed(let reason): "training failed: \(reason)"
        case .invalidDataset(let reason): "invalid dataset: \(reason)"
        case .modelFileMissing(let version, let path): "model \(version): artifact file \(path) is missing"
        case .modelFileCorrupt(let version, let path, let reason): "model \(version): artifact file \(path) is corrupt: \(reason)"
        case .featuresDoNotMatch(let version, let reason): "model \(version): features do not match: \(reason)"
        case .unknownModel(let version): "no model with version \(version) is registered"
        case .noModel(let symbol, let horizon): "no trained model for \(symbol) at horizon \(horizon)m: run training first"
        }
    }
}
