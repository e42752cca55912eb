import ArgumentParser
import Foundation
import MarketData
import MarketPipeline
import UpdraftCLI
import UpdraftRuntime

/// `updraft data backfill`: triggers `historical` for the missing, partial and failed partitions only.
struct DataBackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Trigger historical for the missing, partial and failed partitions only."
    )

    @OptionGroup var engine: EngineOptions
    @Option(help: "Only this pair (BTCUSDT); default: every tracked pair.") var symbol: String?
    @Option(help: "First month of the window (YYYY-MM or YYYY-MM-DD); default: data.history_months back.") var from: String?

    func validate() throws {
        if let from, PartitionBackfill.startDate(from) == nil { throw ValidationError("--from must be YYYY-MM or YYYY-MM-DD, got \(from)") }
    }

    func run() async throws {
        let states: [PartitionState]
        do {
            states = try DataPartitionsCommand.refresh(options: engine.location, symbol: symbol, from: from)
        } catch let failure as DataCommandFailure { throw failure.exitCode }
        let configuration = try engine.location.configuration()
        let start =
            from.flatMap(PartitionBackfill.startDate) ?? BackfillWindow.start(end: Date(), months: configuration[.dataHistoryMonths])
        guard let conf = PartitionBackfill.conf(for: states, start: start) else {
            print("every partition of the window is loaded: nothing to backfill")
            return
        }
        let needed = states.filter { $0.state.needsBackfill }
        let engine = try await engine.engine()
        let run = try await engine.trigger(dagId: "historical", conf: conf, triggeringUserName: ProcessInfo.processInfo.environment["USER"])
        print(
            "historical run \(run.runId) for \(needed.count) partition(s): "
                + needed.map { "\($0.exchange.rawValue) \($0.symbol) \($0.month) (\($0.state.rawValue))" }.joined(separator: ", "))
        if !(await engine.wakeScheduler()) {
            FileHandle.standardError.write(
                Data("run \(run.runId) is queued; no scheduler is running (start `updraft scheduler`, or `updraft dags test`)\n".utf8))
        }
    }
}
