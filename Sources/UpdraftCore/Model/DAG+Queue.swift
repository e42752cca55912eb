extension DAG {
    /// The DAG with `queue` as its default queue: every task that names no other queue runs
    /// there, the tasks its factories build at run time too (e.g. `warehouse`, for tasks that
    /// must run on the host that holds a database).
    public func onQueue(_ queue: String) -> DAG {
        var copy = self
        copy.defaults.queue = queue
        copy.graph = TaskGraph(
            nodes: graph.nodes.map { node in
                var node = node
                if node.options.queue == TaskOptions.defaultQueue { node.options.queue = queue }
                return node
            }, groups: graph.groups)
        return copy
    }
}
