import Foundation
import Testing

@testable import UpdraftCore

/// The log lines' timestamps, written by hand, against Foundation's `ISO8601FormatStyle`.
@Suite struct TaskLogTimestampTests {
    @Test(arguments: [
        0, 0.0004, 0.0005, 0.9994, 0.9996, -0.0004, -0.5, -86_400, 951_782_400, 951_868_799.999,
        1_709_164_800.25, 1_796_648_428.9999, 1_000_000_000.0025, 253_402_300_799.999, 253_402_300_800,
        -12_212_553_600, -12_212_553_600.001, -62_135_596_800, 109_304_839_406.806,
    ])
    func matchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(TaskLog.timestamp(date) == TaskLog.foundationTimestamp(date))
    }

    @Test func matchesFoundationOnManyInstantsFromYear1500To9999() {
        let mismatches = Self.mismatches(20_000, seed: 0x9E37_79B9_7F4A_7C15) { draw in
            Date(timeIntervalSince1970: -14_831_769_600 + Double(draw >> 11) / Double(1 << 53) * 268_234_070_399)
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// The first few of `count` dates (made from a seeded generator's draws) the two disagree on.
    static func mismatches(_ count: Int, seed: UInt64, _ date: (UInt64) -> Date) -> [String] {
        var state = seed
        var found: [String] = []
        for _ in 0..<count where found.count < 5 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let instant = date(state)
            let (mine, theirs) = (TaskLog.timestamp(instant), TaskLog.foundationTimestamp(instant))
            if mine != theirs { found.append("\(instant.timeIntervalSinceReferenceDate): \(mine) ≠ \(theirs)") }
        }
        return found
    }

    /// Dates as a clock makes them (seconds since 2001 with nanoseconds), where the conversion to
    /// seconds since 1970 rounds: near a millisecond's and a second's edge.
    @Test(arguments: [853_324_759.520_000_047, 1_054_066_475.999_999_9, 786_931_199.999_999_9, -0.000_000_1])
    func matchesFoundationForClockDates(sinceReference: Double) {
        let date = Date(timeIntervalSinceReferenceDate: sinceReference)
        #expect(TaskLog.timestamp(date) == TaskLog.foundationTimestamp(date))
    }

    @Test func matchesFoundationOnManyClockDates() {
        let mismatches = Self.mismatches(50_000, seed: 0xD1B5_4A32_D192_ED03) { draw in
            let seconds = Double(700_000_000 + Int(draw >> 40) % 300_000_000)
            return Date(timeIntervalSinceReferenceDate: seconds + Double(Int(draw & 0xFFFF_FFFF) % 1_000_000_000) / 1e9)
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func theShapeIsFixed() {
        #expect(TaskLog.timestamp(Date(timeIntervalSince1970: 1_796_648_428.934)) == "2026-12-07T13:00:28.934Z")
    }
}
