/// The pure core of Updraft: graph, task states, trigger rules, retry policy, schedules and
/// the run state machine. No I/O, no clock, no database: time is always passed in.
public enum UpdraftCore {}
