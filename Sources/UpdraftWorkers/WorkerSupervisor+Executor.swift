#if canImport(Glibc)
import Glibc
#endif

/// Swift jobs on the I/O thread, for a task that prefers this executor (a run's driver, through
/// `withTaskExecutorPreference`). A job that a reply's completion makes ready on the I/O thread
/// while no job is in flight runs there, right after the read: a chain of tries then wakes no
/// other thread between a try's end and the next one's start. While a job is in flight (checked
/// again before each kept job runs), and from any other thread, jobs go to the global executor,
/// so that the loop goes on reading replies and enforcing timeouts while a driver works. A kept
/// job runs to its next suspension, the driver's store commit included: that is the longest the
/// loop waits for it.
extension WorkerSupervisor: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let kept: Bool = withLock {
            guard let ioThread, pthread_equal(ioThread, pthread_self()) != 0,
                !channels.contains(where: { $0.job != nil })
            else { return false }
            loopJobs.append(job)
            return true
        }
        if !kept { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// Runs the jobs kept so far, and those they keep, until none is left; once a job is in flight
    /// (a kept step started a try), the rest go to the global executor.
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
}
