#ifndef CUPDRAFT_SYSTEM_H
#define CUPDRAFT_SYSTEM_H

/// Asks the kernel to send `signal` to the calling process when its parent dies
/// (Linux `prctl(PR_SET_PDEATHSIG)`; Swift cannot call the variadic `prctl`).
/// Returns 0 on success, -1 with errno set on failure, and 0 (no-op) off Linux.
int updraft_set_parent_death_signal(int signal);

/// Creates a pipe whose ends are close-on-exec, and non-blocking when `nonblocking` is
/// non-zero (Linux `pipe2`, which Swift's Glibc module does not export).
/// Returns 0 on success, -1 with errno set on failure.
int updraft_pipe(int fds[2], int nonblocking);

/// Adds to a `posix_spawn_file_actions_t` (passed as `actions`) the closing of every file
/// descriptor from `lowest` up in the child, whether or not it was opened close-on-exec
/// (glibc's `posix_spawn_file_actions_addclosefrom_np`). Returns 0 or an error number.
int updraft_spawn_close_from(void *actions, int lowest);

/// Makes C `stdout` line-buffered (Swift's `print` writes through it), so a job's printed
/// lines and its stderr lines land in its log file in the order they were written.
void updraft_line_buffer_stdout(void);

#endif
