import Foundation
import UpdraftCore
import UpdraftStore

/// Renews a run's lease every third of the engine's lease timeout while its owner executes it,
/// so that other processes see a fresh heartbeat (and may take the run over once it stops).
struct LeaseHeartbeat: Sendable {
    let engine: Engine
    let token: LeaseToken

    /// Runs `body` while renewing; the renewals stop when it returns (cancelled, and awaited
    /// when it succeeds, so no renewal outlives the run's release).
    func whileRenewing<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let beating = Task { await renewUntilCancelled() }
        defer { beating.cancel() }
        let result = try await body()
        beating.cancel()
        await beating.value
        return result
    }

    private func renewUntilCancelled() async {
        let interval = engine.leaseTimeout / 3
        while !Task.isCancelled {
            do { try await engine.clock.sleep(until: engine.clock.now.addingTimeInterval(interval)) } catch { return }
            do {
                try await engine.store.renewLease(token, now: engine.clock.now, timeout: engine.leaseTimeout)
            } catch let error as StoreError {
                engine.home.appendRunLog(
                    dagId: token.run.dagId, runId: token.run.runId,
                    "lease heartbeat failed: \(error)", now: engine.clock.now)
                if case .leaseLost = error { return }  // the next commit of the run fails on its fence
            } catch {
                engine.home.appendRunLog(
                    dagId: token.run.dagId, runId: token.run.runId,
                    "lease heartbeat failed: \(error)", now: engine.clock.now)
            }
        }
    }
}
