import Foundation
import MarketData
import Synchronization
import UpdraftCLI
import UpdraftRuntime
import UpdraftStore

/// The demo's progress display: one line per run when it ends, and on long steps a live line
/// (`historical`: archive files loaded of those listed, rows and rows per second; other DAGs:
/// tasks done of total). On a terminal the live line redraws in place; piped, it prints every
/// few seconds.
final class DemoProgress: Sendable {
    let warehouse: KlineWarehouse
    let isTerminal: Bool
    private struct State { var announced: Set<RunKey> = []; var live = ""; var lastPrinted = Date.distantPast }
    private let state = Mutex(State())

    init(warehouse: KlineWarehouse, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.warehouse = warehouse
        self.isTerminal = isTerminal
    }

    /// Shows where the runs stand.
    func update(runs: [DAGRun], store: any StateStore, elapsed: TimeInterval) async {
        for run in runs where run.state.isTerminal {
            let isNew = state.withLock { $0.announced.insert(run.key).inserted }
            if isNew {
                let summary = await summary(of: run, store: store)
                emit(permanent: "\(stamp(elapsed)) \(run.dagId): \(run.state.rawValue)\(summary)")
            }
        }
        guard let active = runs.first(where: { !$0.state.isTerminal }) else { return }
        let summary = await summary(of: active, store: store)
        let line = "\(stamp(elapsed)) \(active.dagId): \(active.state.rawValue)\(summary)"
        let due = state.withLock { s -> Bool in
            defer { s.live = line }
            return isTerminal || Date().timeIntervalSince(s.lastPrinted) >= 5
        }
        if due { emit(live: line) }
    }

    /// Ends the live line.
    func finish() {
        if isTerminal, state.withLock({ !$0.live.isEmpty }) { print("\r\u{1B}[K", terminator: "") }
        fflush(nil)
    }

    private func summary(of run: DAGRun, store: any StateStore) async -> String {
        let instances = ((try? await store.taskInstances(run: run.key)) ?? []).filter { $0.kind != "factory" }
        let seconds = max((run.endDate ?? Date()).timeIntervalSince(run.startDate ?? run.queuedAt), 0.001)
        let time = String(format: " in %.1f s", seconds)
        if run.dagId == "historical" {
            let loads = instances.filter { $0.taskId.contains(".files.load_") }
            let done = loads.filter { $0.state.isTerminal }.count
            let rows = (try? warehouse.archiveRowsLoaded()) ?? 0  // a progress line: best effort
            return ": \(done)/\(loads.count) files downloaded and loaded, \(rows.formatted()) rows, "
                + "\(Int(Double(rows) / seconds).formatted()) rows/s\(time)"
        }
        let done = instances.filter { $0.state.isTerminal }.count
        return ": \(done)/\(instances.count) tasks done\(time)"
    }

    private func stamp(_ elapsed: TimeInterval) -> String { String(format: "[%6.1fs]", elapsed) }

    private func emit(permanent line: String) {
        if isTerminal { print("\r\u{1B}[K", terminator: "") }
        print(line)
        state.withLock { $0.lastPrinted = Date() }
        fflush(nil)
    }

    private func emit(live line: String) {
        if isTerminal { print("\r\u{1B}[K\(line)", terminator: "") } else { print(line) }
        state.withLock { $0.lastPrinted = Date() }
        fflush(nil)
    }
}
