import Foundation
import Testing
import UpdraftCLI
import UpdraftCore

@Suite("RunTreeView")
struct RunTreeViewTests {
    static let header = """
        Run manual__2024-05-01T10:00:00+00:00 of DAG crypto_historical (manual): failed
        Logical date 2024-05-01T10:00:00Z, data interval [2024-04-30T00:00:00Z, 2024-05-01T00:00:00Z)
        Started 2024-05-01T10:00:01Z, ended 2024-05-01T10:02:11Z (took 2m10s)

        """

    @Test("by default the top level shows, groups collapse, and the failing path opens")
    func defaultView() throws {
        #expect(
            try RunTreeFixtures.view.render(RunTreeOptions()) == Self.header + """
                10 tasks: 6 success, 1 failed, 2 upstream_failed, 1 skipped

                  STATE            TRY  START                 DURATION  TASK
                  success            1  2024-05-01T10:00:01Z     0.20s  get_symbols
                ✗ failed                2024-05-01T10:00:01Z     2m08s  historical/  7 tasks: 5 success, 1 failed, 1 upstream_failed
                  success               2024-05-01T10:00:02Z     1m02s  ├─ BTCUSDT/  3 tasks: 3 success
                ✗ failed                2024-05-01T10:00:02Z     2m08s  └─ ETHUSDT/  3 tasks: 1 success, 1 failed, 1 upstream_failed
                  success            1  2024-05-01T10:00:02Z      1.0s     ├─ list_files
                ✗ failed             3  2024-05-01T10:00:05Z     2m05s     ├─ load_2024_01  (historical.ETHUSDT.load_2024_01)
                ✗ upstream_failed                                          └─ merge
                ✗ upstream_failed                                       report
                  skipped                                               cleanup

                """)
    }

    @Test("--depth expands every group down to that level")
    func depth() throws {
        #expect(
            try RunTreeFixtures.view.render(RunTreeOptions(depth: 3)) == Self.header + """
                10 tasks: 6 success, 1 failed, 2 upstream_failed, 1 skipped

                  STATE            TRY  START                 DURATION  TASK
                  success            1  2024-05-01T10:00:01Z     0.20s  get_symbols
                ✗ failed                2024-05-01T10:00:01Z     2m08s  historical/  7 tasks: 5 success, 1 failed, 1 upstream_failed
                  success               2024-05-01T10:00:02Z     1m02s  ├─ BTCUSDT/  3 tasks: 3 success
                  success            1  2024-05-01T10:00:02Z      1.5s  │  ├─ list_files
                  success            1  2024-05-01T10:00:04Z     36.0s  │  ├─ load_2024_01
                  success            2  2024-05-01T10:00:04Z     1m00s  │  └─ load_2024_02
                ✗ failed                2024-05-01T10:00:02Z     2m08s  └─ ETHUSDT/  3 tasks: 1 success, 1 failed, 1 upstream_failed
                  success            1  2024-05-01T10:00:02Z      1.0s     ├─ list_files
                ✗ failed             3  2024-05-01T10:00:05Z     2m05s     ├─ load_2024_01  (historical.ETHUSDT.load_2024_01)
                ✗ upstream_failed                                          └─ merge
                ✗ upstream_failed                                       report
                  skipped                                               cleanup

                """)
    }

    @Test("--group focuses on one group; without failure expansion groups stay collapsed")
    func focusAndCollapse() throws {
        #expect(
            try RunTreeFixtures.view.render(RunTreeOptions(group: "historical.BTCUSDT")) == Self.header + """
                Group historical.BTCUSDT: 3 tasks: 3 success

                  STATE            TRY  START                 DURATION  TASK
                  success            1  2024-05-01T10:00:02Z      1.5s  list_files
                  success            1  2024-05-01T10:00:04Z     36.0s  load_2024_01
                  success            2  2024-05-01T10:00:04Z     1m00s  load_2024_02

                """)
        let collapsed = try RunTreeFixtures.view.render(RunTreeOptions(expandFailures: false))
        #expect(
            collapsed.hasSuffix(
                """
                  STATE            TRY  START                 DURATION  TASK
                  success            1  2024-05-01T10:00:01Z     0.20s  get_symbols
                ✗ failed                2024-05-01T10:00:01Z     2m08s  historical/  7 tasks: 5 success, 1 failed, 1 upstream_failed
                ✗ upstream_failed                                       report
                  skipped                                               cleanup

                """))
    }

    @Test("a terminal gets colour, a pipe gets none")
    func colour() throws {
        let plain = try RunTreeFixtures.view.render(RunTreeOptions(color: .plain))
        let ansi = try RunTreeFixtures.view.render(RunTreeOptions(color: .ansi))
        #expect(!plain.contains("\u{1B}"))
        #expect(ansi.contains("\u{1B}[1;31m✗\u{1B}[0m \u{1B}[1;31mfailed         \u{1B}[0m    3  2024-05-01T10:00:05Z"))
        #expect(ansi.contains("  \u{1B}[32msuccess        \u{1B}[0m    1  2024-05-01T10:00:01Z     0.20s  get_symbols\n"))
        let stripped = ansi.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == plain)
    }

    @Test("a running task shows how long it has run so far")
    func running() throws {
        let view = RunTreeView(
            header: RunTreeHeader(
                dagID: "bench_chain", runID: "manual__x", state: .running,
                startDate: RunTreeFixtures.at(0)),
            rows: [
                RunTreeRow(
                    taskID: "t1", state: .success, tryNumber: 1, startDate: RunTreeFixtures.at(0),
                    endDate: RunTreeFixtures.at(0.5)),
                RunTreeRow(taskID: "t2", state: .running, tryNumber: 1, startDate: RunTreeFixtures.at(1)),
                RunTreeRow(taskID: "t3", state: .none),
            ])
        #expect(
            try view.render(RunTreeOptions(now: RunTreeFixtures.at(75))) == """
                Run manual__x of DAG bench_chain: running
                Started 2024-05-01T10:00:00Z, running for 1m15s
                3 tasks: 1 none, 1 running, 1 success

                  STATE            TRY  START                 DURATION  TASK
                  success            1  2024-05-01T10:00:00Z     0.50s  t1
                  running            1  2024-05-01T10:00:01Z    1m14s…  t2
                  none                                                  t3

                """)
    }

    @Test("a big factory group opened for its failure lists only the failing sub-DAG")
    func elision() throws {
        var rows: [RunTreeRow] = []
        for symbol in (0..<60).map({ "SYM\($0)" }) {
            for file in 0..<3 {
                let failed = symbol == "SYM42" && file == 1
                rows.append(
                    RunTreeRow(
                        taskID: "historical.\(symbol).load_\(file)", group: "historical.\(symbol)",
                        state: failed ? .failed : .success, tryNumber: failed ? 2 : 1))
            }
        }
        let text = try RunTreeView(header: RunTreeHeader(dagID: "d", runID: "r", state: .failed), rows: rows)
            .render(RunTreeOptions())
        #expect(
            text == """
                Run r of DAG d: failed
                Not started
                180 tasks: 179 success, 1 failed

                  STATE            TRY  START                 DURATION  TASK
                ✗ failed                                                historical/  180 tasks: 179 success, 1 failed
                ✗ failed                                                ├─ SYM42/  3 tasks: 2 success, 1 failed
                  success            1                                  │  ├─ load_0
                ✗ failed             2                                  │  ├─ load_1  (historical.SYM42.load_1)
                  success            1                                  │  └─ load_2
                                                                        └─ … 59 more: 177 tasks: 177 success

                """)
    }

    @Test("an unknown --group names the run and the groups it has")
    func unknownGroup() {
        #expect(
            throws: RunTreeError(
                description: "run manual__2024-05-01T10:00:00+00:00 has no group "
                    + "'historical.XRPUSDT'; its groups include historical")
        ) {
            try RunTreeFixtures.view.render(RunTreeOptions(group: "historical.XRPUSDT"))
        }
        #expect(
            throws: RunTreeError(
                description: "run manual__2024-05-01T10:00:00+00:00 has no group 'hist'; "
                    + "its groups include historical, historical.BTCUSDT, historical.ETHUSDT")
        ) {
            try RunTreeFixtures.view.render(RunTreeOptions(group: "hist"))
        }
        #expect(
            throws: RunTreeError(
                description: "'report' is a task of run manual__2024-05-01T10:00:00+00:00, "
                    + "not a group")
        ) {
            try RunTreeFixtures.view.render(RunTreeOptions(group: "report"))
        }
    }

    @Test("a 10,000-task run renders every task when fully expanded")
    func largeRun() throws {
        var rows: [RunTreeRow] = [RunTreeRow(taskID: "get_symbols", state: .success, tryNumber: 1)]
        for symbol in 0..<50 {
            for month in 0..<200 {
                rows.append(
                    RunTreeRow(
                        taskID: "historical.S\(symbol).load_\(month)", group: "historical.S\(symbol)",
                        state: .success, tryNumber: 1, startDate: RunTreeFixtures.at(Double(month)),
                        endDate: RunTreeFixtures.at(Double(month) + 0.5)))
            }
        }
        let view = RunTreeView(header: RunTreeFixtures.header, rows: rows)
        // Non-empty lines: 4 of header, the column titles, then the tree.
        let collapsed = try view.render(RunTreeOptions())
        #expect(collapsed.split(separator: "\n").count == 4 + 1 + 2)
        let expanded = try view.render(RunTreeOptions(depth: 3))
        #expect(expanded.split(separator: "\n").count == 4 + 1 + 2 + 50 + 10_000)
        #expect(expanded.contains("  success            1  2024-05-01T10:03:19Z     0.50s  │  └─ load_199\n"))
        #expect(expanded.hasSuffix("     0.50s     └─ load_199\n"))
    }
}
