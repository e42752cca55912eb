/// TA-Lib-exact technical indicators and candle resampling.
public enum Indicators {}
