import Foundation
import MarketData

/// Round positions for axis labels: values at 1, 2 or 5 × 10ⁿ steps, times at whole UTC minutes,
/// hours or days.
enum NiceTicks {
    /// About `count` round values in [low, high].
    static func values(low: Double, high: Double, count: Int) -> [Double] {
        guard high > low, count > 0 else { return [] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var value = (low / step).rounded(.up) * step
        var values: [Double] = []
        while value <= high, values.count < 20 {
            values.append(value)
            value += step
        }
        return values
    }

    static let minute: Int64 = 60_000_000
    /// Steps for time labels, shortest first.
    static let timeSteps: [Int64] = [1, 5, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080, 20_160, 43_200].map { $0 * minute }

    /// The shortest step giving at most seven labels over `span` µs.
    static func timeStep(span: Int64) -> Int64 {
        timeSteps.first { span / $0 <= 7 } ?? timeSteps.last!
    }

    /// The multiples of `step` (from the epoch) in [from, to).
    static func times(from: Int64, to: Int64, step: Int64) -> [Int64] {
        var time = (from + step - 1) / step * step
        var times: [Int64] = []
        while time < to, times.count < 20 {
            times.append(time)
            time += step
        }
        return times
    }

    /// `HH:mm` for steps under a day (with `MM-dd` at midnight), `MM-dd` otherwise; UTC.
    static func timeLabel(_ time: Int64, step: Int64) -> String {
        let iso = Array(UTCCalendar.iso8601(microseconds: time))
        let day = String(iso[5..<10]), clock = String(iso[11..<16])
        if step >= 1440 * minute || clock == "00:00" { return day }
        return clock
    }
}
