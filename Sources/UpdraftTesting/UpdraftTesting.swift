/// Test support for DAG authors: in-memory store, manual clock, run-to-completion helpers.
public enum UpdraftTesting {}
