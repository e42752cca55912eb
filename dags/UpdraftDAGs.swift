import UpdraftRuntime

/// The DAGs this binary ships. To add a DAG, add one line to `all`.
public enum UpdraftDAGs {
    /// Every DAG, in listing order.
    public static var all: [DAG] {
        [
            BenchFanout.dag,
            BenchChain.dag,
            BenchRetry.dag,
            BenchDaily.dag,
            BenchCrash.dag,
        ] + CryptoDAGs.all
    }

    /// The registry built from `all`; throws naming every invalid DAG.
    public static func registry() throws -> DAGRegistry { try DAGRegistry(all) }
}
