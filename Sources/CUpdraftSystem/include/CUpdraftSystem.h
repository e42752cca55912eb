#ifndef CUPDRAFT_SYSTEM_H
#define CUPDRAFT_SYSTEM_H

/// Asks the kernel to send `signal` to the calling process when its parent dies
/// (Linux `prctl(PR_SET_PDEATHSIG)`; Swift cannot call the variadic `prctl`).
/// Returns 0 on success, -1 with errno set on failure, and 0 (no-op) off Linux.
int updraft_set_parent_death_signal(int signal);

#endif
