import Foundation
import UpdraftCLI
import UpdraftCore

/// A small crypto run: a factory group `historical` with one sub-DAG per symbol, one of
/// which failed, and a downstream report that could not run.
enum RunTreeFixtures {
    static func at(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: 1_714_557_600 + seconds)  // 2024-05-01T10:00:00Z
    }

    static let header = RunTreeHeader(
        dagID: "crypto_historical", runID: "manual__2024-05-01T10:00:00+00:00", state: .failed,
        runType: .manual, logicalDate: at(0),
        dataInterval: DataInterval(start: at(-86_400 - 36_000), end: at(-36_000)),
        startDate: at(1), endDate: at(131))

    static let rows: [RunTreeRow] = [
        RunTreeRow(taskID: "get_symbols", state: .success, tryNumber: 1, startDate: at(1), endDate: at(1.2)),
        RunTreeRow(taskID: "historical", state: .success, tryNumber: 1, startDate: at(1.3), endDate: at(1.4)),
        RunTreeRow(
            taskID: "historical.BTCUSDT.list_files", group: "historical.BTCUSDT", state: .success,
            tryNumber: 1, startDate: at(2), endDate: at(3.5)),
        RunTreeRow(
            taskID: "historical.BTCUSDT.load_2024_01", group: "historical.BTCUSDT", state: .success,
            tryNumber: 1, startDate: at(4), endDate: at(40)),
        RunTreeRow(
            taskID: "historical.BTCUSDT.load_2024_02", group: "historical.BTCUSDT", state: .success,
            tryNumber: 2, startDate: at(4), endDate: at(64)),
        RunTreeRow(
            taskID: "historical.ETHUSDT.list_files", group: "historical.ETHUSDT", state: .success,
            tryNumber: 1, startDate: at(2), endDate: at(3)),
        RunTreeRow(
            taskID: "historical.ETHUSDT.load_2024_01", group: "historical.ETHUSDT", state: .failed,
            tryNumber: 3, startDate: at(5), endDate: at(130)),
        RunTreeRow(taskID: "historical.ETHUSDT.merge", group: "historical.ETHUSDT", state: .upstreamFailed),
        RunTreeRow(taskID: "report", state: .upstreamFailed),
        RunTreeRow(taskID: "cleanup", state: .skipped),
    ]

    static let view = RunTreeView(header: header, rows: rows)
}
