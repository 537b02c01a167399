/* The fields of a process read only when asked for (PROC_F_*): command line, exe, user,
 * I/O counters, ionice; cached per identity, or until the process runs again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/linux/proc_scan_int.h"

int proc_scan_read_uid(struct proc_scanner *sc, struct proc_rec *r)
{
    char path[48];
    snprintf(path, sizeof(path), "%d/status", (int)r->pid);
    proc_scan_grow(sc, 8192);
    ssize_t n = linux_read_file_at(sc->proc_fd, path, sc->big, 8192);
    if (n < 0)
        return (int)n;
    struct proc_status_info s;
    if (proc_parse_status(sc->big, (size_t)n, &s))
        return -EINVAL;
    struct proc_rec_more *m = proc_rec_more(r);
    m->uid = s.uid[1];
    m->uid_read = true;
    m->uid_at = sc->refresh;
    return 0;
}

/* Reads the command line into a vstr (NULL when empty). */
static int read_cmdline(struct proc_scanner *sc, pid_t pid, struct vstr **out)
{
    char path[48];
    snprintf(path, sizeof(path), "%d/cmdline", (int)pid);
    int fd = proc_scan_open(sc, path);
    if (fd < 0)
        return fd;
    /* the first MiB of a giant command line */
    ssize_t len = linux_read_all_fd(fd, &sc->big, &sc->big_cap, CMDLINE_MAX);
    close(fd);
    if (len < 0)
        return (int)len;
    /* kept as the kernel gave it (see snapshot.h): consumers drop the trailing NUL */
    *out = len ? vstr_new(sc->big, (size_t)len) : NULL;
    return 0;
}

static int read_exe(struct proc_scanner *sc, pid_t pid, struct vstr **out)
{
    char path[48];
    snprintf(path, sizeof(path), "%d/exe", (int)pid);
    for (size_t cap = 4096; cap <= 65536; cap *= 4) {
        proc_scan_grow(sc, cap);
        ssize_t n = readlinkat(sc->proc_fd, path, sc->big, cap);
        if (n < 0)
            return -errno;
        if ((size_t)n < cap) {
            *out = vstr_new(sc->big, (size_t)n);
            return 0;
        }
    }
    return -ENAMETOOLONG;
}

static int read_io(struct proc_scanner *sc, pid_t pid, struct proc_io_info *io)
{
    char path[48], buf[512];
    snprintf(path, sizeof(path), "%d/io", (int)pid);
    ssize_t n = linux_read_file_at(sc->proc_fd, path, buf, sizeof(buf));
    if (n < 0)
        return (int)n;
    return proc_parse_io(buf, (size_t)n, io);
}

/* An optional file failed with err: is it because the process went away? */
static int vanished(struct proc_scanner *sc, struct proc_rec *r, int err)
{
    if (!is_gone(err))
        return 0;
    struct proc_stat_info st;
    return proc_rec_check(sc, r, &st) ? -ESRCH : 0;
}

/* Fills the PROC_F_* fields in want into e (whose cmdline/exe are NULL on entry) from
 * rec's caches, reading what is missing or may have changed (all of I/O and ionice when
 * fresh is set). state/kthread decide cmdline and exe: kernel threads and zombies have
 * neither. Returns 0 or -ESRCH (the process is gone). */
int proc_scan_fill_wanted(struct proc_scanner *sc, struct proc_rec *r, struct proc_entry *e,
                          unsigned want, char state, bool kthread, bool fresh)
{
    if (!(want & (PROC_F_CMDLINE | PROC_F_EXE | PROC_F_USER | PROC_F_IO | PROC_F_IONICE)))
        return 0;
    bool no_mm = kthread || state == 'Z';
    struct proc_rec_more *m = proc_rec_more(r);
    int err;
    if (want & PROC_F_CMDLINE) {
        if (!no_mm && !m->cmdline_read) {
            err = read_cmdline(sc, r->pid, &m->cmdline);
            if (vanished(sc, r, err))
                return -ESRCH;
            m->cmdline_read = true; /* unreadable but there: an empty list */
        }
        e->cmdline = no_mm ? NULL : vstr_ref(m->cmdline);
        e->have |= PROC_F_CMDLINE;
    }
    if (want & PROC_F_EXE) {
        if (!no_mm && !m->exe_read) {
            err = read_exe(sc, r->pid, &m->exe);
            if (vanished(sc, r, err))
                return -ESRCH;
            m->exe_read = true; /* unreadable (EACCES, no mm): stays NULL */
        }
        e->exe = no_mm ? NULL : vstr_ref(m->exe);
        e->have |= PROC_F_EXE;
    }
    if (want & PROC_F_USER) {
        if (!m->uid_read) {
            err = proc_scan_read_uid(sc, r);
            if (vanished(sc, r, err))
                return -ESRCH;
        }
        if (m->uid_read) {
            e->uid = m->uid;
            e->user = user_cache_name(sc->users, m->uid);
            e->have |= PROC_F_USER;
        }
    }
    if (want & PROC_F_IO) {
        if (fresh || !m->io_at || m->io_at < r->ran_at) {
            struct proc_io_info io;
            err = read_io(sc, r->pid, &io);
            if (vanished(sc, r, err))
                return -ESRCH;
            m->io_read = err ? -1 : (int64_t)io.read_bytes;
            m->io_write = err ? -1 : (int64_t)io.write_bytes;
            m->io_at = sc->refresh;
        }
        e->io_read_bytes = m->io_read;
        e->io_write_bytes = m->io_write;
        e->have |= PROC_F_IO;
    }
    if ((want & PROC_F_IONICE) && sc->live) {
        err = 0;
        if (fresh || !m->ionice_at || m->ionice_at < r->ran_at || m->ionice_at < r->moved_at) {
            int cls = IONICE_UNKNOWN, level = -1;
            err = linux_ioprio_get(r->pid, &cls, &level);
            if (err == -ESRCH)
                return -ESRCH;
            m->ionice_class = (int8_t)cls;   /* -1..3 */
            m->ionice_level = (int8_t)level; /* -1..7 */
            m->ionice_at = err ? 0 : sc->refresh;
        }
        if (!err) {
            e->ionice_class = m->ionice_class;
            e->ionice_level = m->ionice_level;
            e->have |= PROC_F_IONICE;
        }
    }
    return 0;
}
