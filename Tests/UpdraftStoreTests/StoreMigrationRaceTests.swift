import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// Several openers of one new state file at once (a scheduler and a `dags trigger` started
/// together): every one gets a migrated store. Each opener has its own connection pool, as a
/// separate process would; threads of their own start together on a gate.
@Suite struct StoreMigrationRaceTests {
    @Test func openersOfANewFileAtOnceAllSucceed() throws {
        for round in 0..<20 {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-race-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }  // best effort: a temporary folder
            let path = folder + "/updraft.db"
            let gate = NSCondition()
            let open = Locked(false)  // read and written under `gate` too
            let results = Locked<[String]>([])
            let done = DispatchGroup()
            for _ in 0..<4 {
                done.enter()
                Thread.detachNewThread {
                    gate.lock()
                    while !open.withLock({ $0 }) { gate.wait() }
                    gate.unlock()
                    do {
                        let store = try SQLiteStateStore(path: path)
                        _ = try store.readXCom(run: RunKey("etl", "r"), taskId: "t", key: "k")  // a read after opening
                        results.withLock { $0.append("ok") }
                    } catch {
                        results.withLock { $0.append("\(error)") }
                    }
                    done.leave()
                }
            }
            gate.lock()
            open.withLock { $0 = true }
            gate.broadcast()
            gate.unlock()
            done.wait()
            let failures = results.withLock { $0 }.filter { $0 != "ok" }
            #expect(failures.isEmpty, "round \(round): \(failures)")
            if !failures.isEmpty { return }
        }
    }
}
