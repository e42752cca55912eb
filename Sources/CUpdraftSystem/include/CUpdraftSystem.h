#ifndef CUPDRAFT_SYSTEM_H
#define CUPDRAFT_SYSTEM_H

#include <spawn.h>

/// Asks the kernel to send `signal` to the calling process when its parent dies
/// (Linux `prctl(PR_SET_PDEATHSIG)`; Swift cannot call the variadic `prctl`).
/// Returns 0 on success, -1 with errno set on failure, and 0 (no-op) off Linux.
int updraft_set_parent_death_signal(int signal);

/// Creates a pipe whose ends are close-on-exec, and non-blocking when `nonblocking` is
/// non-zero (Linux `pipe2`, which Swift's Glibc module does not export).
/// Returns 0 on success, -1 with errno set on failure.
int updraft_pipe(int fds[2], int nonblocking);

/// A close-on-exec pipe for a `posix_spawn` child whose ends are both at or above `lowest`, so
/// the child's `dup2` onto its low descriptors never clobbers one of them.
/// Returns 0 on success, -1 with errno set on failure (nothing left open).
int updraft_spawn_pipe(int fds[2], int lowest);

/// The bytes a pipe holds before a write to it blocks (Linux `F_GETPIPE_SZ`); 4096 (the
/// least a pipe holds) where it cannot be read.
int updraft_pipe_capacity(int fd);

/// Makes C `stdout` line-buffered (Swift's `print` writes through it), so a job's printed
/// lines and its stderr lines land in its log file in the order they were written.
void updraft_line_buffer_stdout(void);

/// Makes a `posix_spawn` child start with no descriptor at or above `lowest` except those the
/// file actions set up: plain `posix_spawn` hands the child every descriptor of the parent that
/// is not close-on-exec (Foundation's `Pipe`, sockets of libraries that do not set the flag),
/// and a long-lived child holding the write end of someone else's pipe keeps that reader from
/// ever seeing end-of-file. Call it after the file actions and after the last
/// `posix_spawnattr_setflags`.
///
/// glibc ≥ 2.34: `posix_spawn_file_actions_addclosefrom_np`, atomic in the child. Darwin:
/// `POSIX_SPAWN_CLOEXEC_DEFAULT`. Elsewhere: marks the parent's open descriptors ≥ `lowest`
/// close-on-exec (best effort: one opened by another thread meanwhile can still leak).
/// Returns 0 on success, an error number on failure.
int updraft_spawn_close_other_descriptors(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attributes,
                                          int lowest);

/// Makes a `posix_spawn` child start with no signal blocked and every signal at its default
/// action, whatever the parent ignores (SIGPIPE, say) or blocks. Call it before
/// ``updraft_spawn_close_other_descriptors``. Returns 0 on success, an error number on failure.
int updraft_spawnattr_default_signals(posix_spawnattr_t *attributes);

/// Opens (creating, mode 0600, close-on-exec) the lock file `path` and waits for an exclusive
/// `flock` on it, across processes. Returns the descriptor, whose `close` releases the lock,
/// or -1 with errno set.
int updraft_lock_file(const char *path);

/// For a process that has gone idle: asks the kernel to reclaim the pages of its file-backed,
/// read-only mappings (the binary's code and data, shared libraries; `MADV_PAGEOUT`, Linux 5.4;
/// pages other processes also map stay) and returns free heap memory (`malloc_trim`). Pages
/// come back from the page cache or the file when touched. Returns the number of mappings
/// advised, or -1 (off Linux, or when /proc/self/maps cannot be read).
int updraft_release_idle_pages(void);

#endif
