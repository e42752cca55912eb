/// TA-Lib's true range: `high - low`, replaced by `|previousClose - high|` or
/// `|previousClose - low|` when larger, compared in that order.
@inline(__always)
func trueRange(high: Double, low: Double, previousClose: Double) -> Double {
    var greatest = high - low
    let toHigh = abs(previousClose - high)
    if toHigh > greatest { greatest = toHigh }
    let toLow = abs(previousClose - low)
    if toLow > greatest { greatest = toLow }
    return greatest
}
