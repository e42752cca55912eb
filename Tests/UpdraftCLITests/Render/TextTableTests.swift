import Foundation
import Testing
import UpdraftCLI

@Suite("Text output helpers")
struct TextTableTests {
    @Test("tables pad columns, right-align numbers and trim trailing spaces")
    func table() {
        var table = TextTable(["DAG", "RUNS", "STATE"], rightAligned: [1])
        table.append(["bench_daily", "20", "success"])
        table.append(["bench_fanout", "1"])
        #expect(
            table.render() == """
                DAG           RUNS  STATE
                bench_daily     20  success
                bench_fanout     1

                """)
    }

    @Test(
        "ISO-8601 UTC",
        arguments: [
            (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
            (1_714_557_602.9, "2024-05-01T10:00:02Z"), (-1, "1969-12-31T23:59:59Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
        ])
    func iso8601(seconds: Double, text: String) {
        #expect(TimeText.iso8601(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test(
        "durations",
        arguments: [
            (0.0, "0s"), (-3, "0s"), (0.25, "0.25s"), (12.34, "12.3s"), (129.4, "2m09s"), (3725, "1h02m"),
            (273_600, "3d04h"),
        ])
    func duration(seconds: Double, text: String) {
        #expect(TimeText.duration(seconds) == text)
    }
}
