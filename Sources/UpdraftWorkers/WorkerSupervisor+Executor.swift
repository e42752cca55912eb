#if canImport(Glibc)
import Glibc
#endif

/// Swift jobs on the I/O thread, for a task that prefers this executor (a run's driver, through
/// `withTaskExecutorPreference`). A job made ready on the I/O thread (by a reply's completion) is
/// kept, and runs there before the next poll if no job is in flight then: a chain of tries wakes
/// no other thread between a try's end and the next one's start. While a job is in flight, and
/// from any other thread, jobs go to the global executor, so that the loop goes on reading
/// replies and enforcing timeouts while a driver works. A kept job runs to its next suspension,
/// the driver's store commit included: that is the longest the loop waits for it.
extension WorkerSupervisor: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let kept: Bool = withLock {
            guard onIOThreadLocked else { return false }
            loopJobs.append(job)
            return true
        }
        if !kept { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// Runs the jobs kept so far, and those they keep, until none is left; while a job is in flight
    /// (a kept step started a try, or the reply that made it ready gave its worker a queued job),
    /// they go to the global executor instead.
    func runLoopJobs() {
        while true {
            let next: (job: UnownedJob, here: Bool)? = withLock {
                guard !loopJobs.isEmpty else { return nil }
                return (loopJobs.removeFirst(), !channels.contains { $0.job != nil })
            }
            guard let next else { return }
            if next.here {
                next.job.runSynchronously(on: asUnownedTaskExecutor())
            } else {
                globalConcurrentExecutor.enqueue(ExecutorJob(next.job))
            }
        }
    }

    /// Whether the caller is the I/O thread while its loop runs. Call with the lock held.
    var onIOThreadLocked: Bool { ioThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
}
