import MarketData

// Interim until the Indicators module lands (C4): indicator features are unavailable.
struct IndicatorFeatures {
    init(series: CandleSeries) {}
    func column(_ name: String) -> [Double] { preconditionFailure("indicator features need the Indicators module (C4)") }
}
