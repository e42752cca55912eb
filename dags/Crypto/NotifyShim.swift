import UpdraftRuntime

// Temporary stand-in for the engine's `TaskContext.notify` until it lands on main.
extension TaskContext {
    func notify(key: String, event: String = "task_notice", title: String, lines: [String] = [], channels: [String]? = nil) {
        log.info("notify \(key) [\(event)] \(title)")
    }
}
