import Foundation
import Testing
import UpdraftStore

/// `dags trigger` and `tasks clear` wake every live scheduler the store lists with SIGUSR1, whose
/// default action ends a process: a scheduler must be ready for it before it registers. It used
/// to register first and install the handler after starting its worker pool, and a trigger in
/// that window killed it ('updraft scheduler --parallelism 2 exited with status 10' in a pipeline
/// test on a loaded machine).
@Suite(.timeLimit(.minutes(5))) struct SchedulerSignalTests {
    @Test func aSchedulerTheStoreListsSurvivesSIGUSR1() async throws {
        let cli = try BinaryHarness()
        let store = try cli.store()
        let (scheduler, _, _) = try cli.start(["scheduler", "--parallelism", "2"])
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        // As soon as the store lists it, as a trigger would.
        while try await store.schedulers().isEmpty {
            guard scheduler.isRunning else { break }
            usleep(500)
        }
        kill(scheduler.processIdentifier, SIGUSR1)
        kill(scheduler.processIdentifier, SIGTERM)  // after the SIGUSR1: a graceful stop if it survived
        while scheduler.isRunning { usleep(10_000) }
        #expect(scheduler.terminationReason == .exit, "killed by signal \(scheduler.terminationStatus)")
        #expect(scheduler.terminationStatus == 0)
    }
}
