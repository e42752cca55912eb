import Dispatch

/// Runs the jobs of the store's own tasks (the connection pool's and the synchronous readers') on
/// one dispatch thread of their own, outside Swift's cooperative pool. A task body that calls
/// `readXCom` from the pool blocks a pool thread; if every pool thread were blocked so, a query
/// that needed the pool to go on would never end. With this executor it needs none of them.
final class StoreTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor { UnownedTaskExecutor(ordinary: self) }
}
