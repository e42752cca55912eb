import Foundation

/// Threads of their own for the bodies of in-process tries (`InProcessExecutor`). A task body
/// may block (a synchronous database write, a CPU-bound computation, a file read): on Swift's
/// cooperative pool, which has one thread per core, a few such tries stalled every other task
/// of the process (a test's HTTP server answered after its client had given up). Here they
/// block only a thread of this pool, which the process keeps for its lifetime.
final class TaskThreads: _Concurrency.TaskExecutor, @unchecked Sendable {
    /// The process's pool (threads start on first use).
    static let shared = TaskThreads(count: 8)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private let count: Int
    private var started = false

    init(count: Int) { self.count = count }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if !started {
            started = true
            for index in 0..<count {
                let thread = Thread { [unowned self] in self.work() }
                thread.name = "updraft-task-\(index)"
                thread.start()
            }
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
