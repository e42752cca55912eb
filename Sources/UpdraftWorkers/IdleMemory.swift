import CUpdraftSystem

/// Memory a long-running process can give back while it has nothing to do.
public enum IdleMemory {
    /// Lets the kernel reclaim this process's code and read-only file pages and trims the
    /// heap: most of an idle scheduler's memory is the code it ran at start-up (about 40 MB
    /// with the statically linked runtime), of which its idle loop touches a fraction. The next
    /// run reads what it needs back from the page cache or the binary. Returns the number of
    /// mappings released (-1 where unsupported).
    @discardableResult
    public static func release() -> Int {
        Int(updraft_release_idle_pages())
    }
}
