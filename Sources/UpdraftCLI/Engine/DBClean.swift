import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft db clean --older-than DAYS`.
struct DBClean: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract:
            "Delete finished runs older than DAYS with their tries, XCom and logs, older audit log entries, sent or failed notifications, and finished remote tries' queue rows."
    )

    @OptionGroup var engine: EngineOptions
    @Option(name: .customLong("older-than"), help: "Age in days (runs that ended before now minus DAYS).") var olderThan: Double

    func validate() throws { if olderThan < 0 { throw ValidationError("--older-than must be 0 or more") } }

    func run() async throws {
        let engine = try await engine.engine()
        let cutoff = engine.clock.now.addingTimeInterval(-olderThan * 86_400)
        let deleted = try await engine.store.deleteRuns(endedBefore: cutoff)
        var kept: [String] = []
        for run in deleted {
            let folder = engine.home.runLogFolder(dagId: run.dagId, runId: run.runId)
            guard FileManager.default.fileExists(atPath: folder) else { continue }
            do { try FileManager.default.removeItem(atPath: folder) } catch { kept.append("\(folder): \(error.localizedDescription)") }
        }
        print("deleted \(deleted.count) run(s) that ended before \(RunIdentifier.timestamp(cutoff))")
        let events = try await engine.store.deleteEventLogs(before: cutoff)
        if events > 0 { print("deleted \(events) audit log entries written before \(RunIdentifier.timestamp(cutoff))") }
        let messages = try await engine.store.deleteNotifications(before: cutoff)
        if messages > 0 { print("deleted \(messages) sent or failed notification(s) created before \(RunIdentifier.timestamp(cutoff))") }
        let queued = try await engine.store.pruneQueuedTries(finishedBefore: cutoff)
        if queued > 0 { print("deleted \(queued) finished queue row(s) of remote tries, with their shipped logs") }
        if !kept.isEmpty {
            throw CLIError.failed("the runs are deleted, but these log folders could not be removed:\n" + kept.joined(separator: "\n"))
        }
    }
}
