import UpdraftConfig
import UpdraftRuntime

/// The DAGs this binary ships. To add a DAG, add one line to `all`.
public enum UpdraftDAGs {
    /// Every DAG, in listing order; schedules come from `configuration`.
    public static func all(_ configuration: UpdraftConfiguration) -> [DAG] {
        [
            BenchFanout.dag,
            BenchChain.dag,
            BenchRetry.dag,
            BenchDaily.dag,
            BenchCrash.dag,
        ] + CryptoDAGs.all(configuration)
    }

    /// The registry built from `all`; throws naming every invalid DAG.
    public static func registry(_ configuration: UpdraftConfiguration) throws -> DAGRegistry {
        try DAGRegistry(all(configuration))
    }
}
