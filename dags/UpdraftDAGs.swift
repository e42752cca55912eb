/// The DAGs this binary ships: the examples and benchmarks, and the crypto pipeline.
public enum UpdraftDAGs {}
