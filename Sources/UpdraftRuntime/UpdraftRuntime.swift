/// Scheduler, executor, recovery and logs.
public enum UpdraftRuntime {}
