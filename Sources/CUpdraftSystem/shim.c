#define _GNU_SOURCE
#include "CUpdraftSystem.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int updraft_set_parent_death_signal(int signal) {
#ifdef __linux__
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
#else
    (void)signal;
    return 0;
#endif
}

int updraft_pipe_capacity(int fd) {
#ifdef F_GETPIPE_SZ
    int size = fcntl(fd, F_GETPIPE_SZ);
    if (size > 0) return size;
#endif
    (void)fd;
    return 4096;
}

int updraft_pipe(int fds[2], int nonblocking) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
#else
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        if (nonblocking) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    return 0;
#endif
}

int updraft_spawn_pipe(int fds[2], int lowest) {
    int low[2];
    if (updraft_pipe(low, 0) != 0) return -1;
    fds[0] = fcntl(low[0], F_DUPFD_CLOEXEC, lowest);
    fds[1] = fds[0] < 0 ? -1 : fcntl(low[1], F_DUPFD_CLOEXEC, lowest);
    int saved = errno;
    close(low[0]);
    close(low[1]);
    if (fds[1] >= 0) return 0;
    if (fds[0] >= 0) close(fds[0]);
    errno = saved;
    return -1;
}

void updraft_line_buffer_stdout(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}

int updraft_spawnattr_default_signals(posix_spawnattr_t *attributes) {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int status = posix_spawnattr_setsigmask(attributes, &none);
    if (status == 0) status = posix_spawnattr_setsigdefault(attributes, &all);
    if (status == 0) status = posix_spawnattr_setflags(attributes, (short)(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
    return status;
}

int updraft_spawn_close_other_descriptors(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attributes,
                                          int lowest) {
#if defined(__APPLE__)
    (void)actions;
    (void)lowest;
    short flags = 0;
    int status = posix_spawnattr_getflags(attributes, &flags);
    if (status != 0) return status;
    return posix_spawnattr_setflags(attributes, flags | POSIX_SPAWN_CLOEXEC_DEFAULT);
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    (void)attributes;
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
    (void)actions;
    (void)attributes;
    DIR *directory = opendir("/proc/self/fd");
    if (directory == NULL) return errno;
    int own = dirfd(directory);
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        int fd = atoi(entry->d_name);
        if (fd >= lowest && fd != own) fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    }
    closedir(directory);
    return 0;
#endif
}

int updraft_lock_file(const char *path) {
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

#ifdef __linux__
#include <malloc.h>
#include <string.h>
#include <sys/mman.h>
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

int updraft_release_idle_pages(void) {
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps) return -1;
    char line[4608];
    int advised = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end;
        char permissions[5];
        int path = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &start, &end, permissions, &path) < 3 || path == 0) continue;
        // File-backed and not writable: code and read-only data, which the kernel reads again
        // from the page cache or the file when next touched.
        if (line[path] != '/' || permissions[1] == 'w') continue;
        if (madvise((void *)start, end - start, MADV_PAGEOUT) == 0) advised += 1;
    }
    fclose(maps);
    malloc_trim(0);
    return advised;
}
#else
int updraft_release_idle_pages(void) { return -1; }
#endif
