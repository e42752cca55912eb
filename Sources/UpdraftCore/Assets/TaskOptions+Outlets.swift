extension TaskOptions {
    /// These options with `assets` as the task's outlets:
    /// `d.task("publish", options: TaskOptions(retry: .none).updating(ticks)) { … }`.
    public func updating(_ assets: Asset...) -> TaskOptions {
        var options = self
        options.outlets = assets
        return options
    }
}
