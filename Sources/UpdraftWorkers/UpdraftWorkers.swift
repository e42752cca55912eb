/// Worker processes of the same binary: spawn, pipe protocol, timeouts, kill and replace.
public enum UpdraftWorkers {}
