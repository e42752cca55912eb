#if canImport(Glibc)
import Glibc
#endif

/// Swift jobs on the I/O thread, for a task that prefers this executor (a run's driver, through
/// `withTaskExecutorPreference`). A job that a reply's completion makes ready on the I/O thread
/// while no other job is in flight runs there, right after the read: a chain of tries then
/// wakes no other thread between a try's end and the next one's start. While workers are busy,
/// and from any other thread, jobs go to the global executor, so that the loop goes on reading
/// the other workers' replies while a driver works.
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

    /// Runs the jobs kept so far, and those they keep, until none is left.
    func runLoopJobs() {
        while true {
            let jobs: [UnownedJob] = withLock {
                defer { loopJobs.removeAll(keepingCapacity: true) }
                return loopJobs
            }
            if jobs.isEmpty { return }
            for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
