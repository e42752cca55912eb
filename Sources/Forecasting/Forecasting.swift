/// Datasets, models, walk-forward validation, the model registry and scoring.
public enum Forecasting {}
