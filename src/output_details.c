#include "output_details.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static void key_i64(struct json_writer *w, const char *key, int64_t v)
{
    json_key(w, key);
    if (v >= 0)
        json_int(w, v);
    else
        json_null(w);
}

static void key_rate(struct json_writer *w, const char *key, double v)
{
    json_key(w, key);
    if (v >= 0)
        json_double(w, v);
    else
        json_null(w);
}

/* "<key>": null, or the words for err. */
static void key_err(struct json_writer *w, const char *key, int err)
{
    json_key(w, key);
    if (err)
        json_cstr(w, details_error_text(err));
    else
        json_null(w);
}

static void key_text(struct json_writer *w, const char *key, const char *s, size_t cap)
{
    json_key(w, key);
    size_t n = strnlen(s, cap);
    if (n)
        json_str(w, s, n);
    else
        json_null(w);
}

static void key_ticks(struct json_writer *w, const char *key, uint64_t ticks, long hz)
{
    json_key(w, key);
    if (hz > 0)
        json_double(w, (double)ticks / (double)hz);
    else
        json_null(w);
}

static void ids_object(struct json_writer *w, const char *key, bool have, const unsigned v[4])
{
    static const char *const names[] = {"real", "effective", "saved", "filesystem"};
    json_key(w, key);
    if (!have) {
        json_null(w);
        return;
    }
    json_obj_begin(w);
    for (int i = 0; i < 4; i++) {
        json_key(w, names[i]);
        json_uint(w, v[i]);
    }
    json_obj_end(w);
}

static void identity(struct json_writer *w, const struct proc_details *d)
{
    const struct details_identity *id = &d->id;
    unsigned uids[4], gids[4];
    for (int i = 0; i < 4; i++) {
        uids[i] = (unsigned)id->uids[i];
        gids[i] = (unsigned)id->gids[i];
    }
    json_key(w, "identity");
    json_obj_begin(w);
    json_key(w, "pid");
    json_int(w, d->pid);
    json_key(w, "ppid");
    json_int(w, id->ppid);
    key_text(w, "parent_name", id->parent_name, sizeof(id->parent_name));
    json_key(w, "name");
    json_str(w, id->name, strnlen(id->name, sizeof(id->name)));
    json_key(w, "start_time");
    if (id->start_time > 0)
        json_double(w, id->start_time);
    else
        json_null(w);
    ids_object(w, "uids", id->have_ids, uids);
    ids_object(w, "gids", id->have_ids, gids);
    json_key(w, "users");
    if (id->have_ids) {
        static const char *const names[] = {"real", "effective", "saved"};
        json_obj_begin(w);
        for (int i = 0; i < 3; i++)
            key_text(w, names[i], id->user_names[i], sizeof(id->user_names[i]));
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_key(w, "state");
    json_str(w, &id->state, 1);
    json_key(w, "state_name");
    json_cstr(w, proc_state_name(id->state));
    json_key(w, "kernel_thread");
    json_bool(w, id->kernel_thread);
    char tty[32];
    json_key(w, "tty");
    if (proc_tty_name(id->tty_nr, tty, sizeof(tty)))
        json_cstr(w, tty);
    else
        json_null(w);
    json_key(w, "cwd");
    json_cstr(w, id->cwd);
    key_err(w, "cwd_error", id->cwd_err);
    json_key(w, "exe");
    json_cstr(w, id->exe);
    key_err(w, "exe_error", id->exe_err);
    json_key(w, "cmdline");
    json_arr_begin(w);
    for (size_t i = 0, start = 0; id->cmdline && i <= id->cmdline_len; i++) {
        if (i == id->cmdline_len || id->cmdline[i] == '\0') {
            json_str(w, id->cmdline + start, i - start);
            start = i + 1;
        }
    }
    json_arr_end(w);
    key_err(w, "cmdline_error", id->cmdline_err);
    json_obj_end(w);
}

static void cpu(struct json_writer *w, const struct proc_details *d)
{
    const struct details_cpu *c = &d->cpu;
    json_key(w, "cpu");
    json_obj_begin(w);
    key_ticks(w, "user_time", c->utime, d->clk_tck);
    key_ticks(w, "system_time", c->stime, d->clk_tck);
    key_ticks(w, "children_user_time", c->cutime, d->clk_tck);
    key_ticks(w, "children_system_time", c->cstime, d->clk_tck);
    key_rate(w, "cpu_percent", c->cpu_percent);
    json_key(w, "affinity");
    if (c->n_affinity) {
        json_arr_begin(w);
        for (size_t i = 0; i < c->n_affinity; i++)
            json_int(w, c->affinity[i]);
        json_arr_end(w);
    } else {
        json_null(w);
    }
    json_key(w, "nice");
    json_int(w, c->nice);
    json_key(w, "priority");
    json_int(w, c->priority);
    key_i64(w, "rt_priority", c->rt_priority);
    json_key(w, "policy");
    json_cstr(w, details_sched_policy_name(c->policy));
    json_key(w, "ionice");
    const char *cls = ionice_class_name(c->ionice_class);
    if (cls) {
        json_obj_begin(w);
        json_key(w, "class");
        json_cstr(w, cls);
        key_i64(w, "level", c->ionice_level);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    key_i64(w, "processor", c->processor);
    json_key(w, "ctx_switches");
    json_obj_begin(w);
    key_i64(w, "voluntary", c->ctx_voluntary);
    key_i64(w, "involuntary", c->ctx_involuntary);
    json_obj_end(w);
    json_key(w, "threads");
    json_int(w, c->num_threads);
    json_obj_end(w);
}

static void memory(struct json_writer *w, const struct details_memory *m)
{
    json_key(w, "memory");
    json_obj_begin(w);
    const struct {
        const char *key;
        int64_t v;
    } sizes[] = {
        {"rss", m->rss},           {"vms", m->vms},       {"shared", m->shared},
        {"text", m->text},         {"data", m->data},     {"stack", m->stack},
        {"lib", m->lib},           {"swap", m->swap},     {"peak_vms", m->peak_vms},
        {"peak_rss", m->peak_rss}, {"locked", m->locked}, {"page_tables", m->pte},
    };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        key_i64(w, sizes[i].key, sizes[i].v);
    key_err(w, "error", m->status_err);
    key_i64(w, "pss", m->pss);
    key_i64(w, "uss", m->uss);
    key_i64(w, "swap_pss", m->swap_pss);
    key_err(w, "rollup_error", m->rollup_err);
    json_key(w, "maps");
    json_arr_begin(w);
    for (size_t i = 0; i < m->n_maps; i++) {
        const struct details_map *mp = &m->maps[i];
        json_obj_begin(w);
        json_key(w, "path");
        json_cstr(w, mp->path);
        json_key(w, "count");
        json_uint(w, mp->count);
        json_key(w, "size");
        json_uint(w, mp->size);
        json_key(w, "rss");
        json_uint(w, mp->rss);
        json_key(w, "pss");
        json_uint(w, mp->pss);
        json_key(w, "private");
        json_uint(w, mp->private_bytes);
        json_key(w, "shared");
        json_uint(w, mp->shared_bytes);
        json_key(w, "swap");
        json_uint(w, mp->swap);
        json_obj_end(w);
    }
    json_arr_end(w);
    key_err(w, "maps_error", m->maps_err);
    json_obj_end(w);
}

static void io(struct json_writer *w, const struct details_io *io)
{
    json_key(w, "io");
    json_obj_begin(w);
    const struct {
        const char *key;
        uint64_t v;
        const char *rate_key;
        double rate;
    } rows[] = {
        {"read_bytes", io->read_bytes, "read_bytes_per_s", io->read_bytes_rate},
        {"write_bytes", io->write_bytes, "write_bytes_per_s", io->write_bytes_rate},
        {"read_chars", io->rchar, "read_chars_per_s", io->rchar_rate},
        {"write_chars", io->wchar, "write_chars_per_s", io->wchar_rate},
        {"read_syscalls", io->syscr, "read_syscalls_per_s", io->syscr_rate},
        {"write_syscalls", io->syscw, "write_syscalls_per_s", io->syscw_rate},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_key(w, rows[i].key);
        if (io->err)
            json_null(w);
        else
            json_uint(w, rows[i].v);
    }
    json_key(w, "cancelled_write_bytes");
    if (io->err)
        json_null(w);
    else
        json_uint(w, io->cancelled_write_bytes);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        key_rate(w, rows[i].rate_key, io->err ? -1 : rows[i].rate);
    key_err(w, "error", io->err);
    json_obj_end(w);
}

/* "count" and "error" of a list section, then the "list" key (its array follows). */
static void list_head(struct json_writer *w, const char *key, size_t n, int err)
{
    json_key(w, key);
    json_obj_begin(w);
    json_key(w, "count");
    if (err)
        json_null(w);
    else
        json_uint(w, n);
    key_err(w, "error", err);
    json_key(w, "list");
}

static void threads(struct json_writer *w, const struct proc_details *d)
{
    list_head(w, "threads", d->n_threads, d->threads_err);
    json_arr_begin(w);
    for (size_t i = 0; i < d->n_threads; i++) {
        const struct details_thread *t = &d->threads[i];
        json_obj_begin(w);
        json_key(w, "tid");
        json_int(w, t->tid);
        json_key(w, "name");
        json_str(w, t->name, strnlen(t->name, sizeof(t->name)));
        json_key(w, "state");
        json_str(w, &t->state, 1);
        key_rate(w, "cpu_percent", t->cpu_percent);
        key_ticks(w, "user_time", t->utime, d->clk_tck);
        key_ticks(w, "system_time", t->stime, d->clk_tck);
        key_i64(w, "processor", t->processor);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

static void files(struct json_writer *w, const struct proc_details *d)
{
    list_head(w, "files", d->n_fds, d->fds_err);
    json_arr_begin(w);
    for (size_t i = 0; i < d->n_fds; i++) {
        const struct details_fd *f = &d->fds[i];
        json_obj_begin(w);
        json_key(w, "fd");
        json_int(w, f->fd);
        json_key(w, "type");
        json_cstr(w, f->err ? NULL : details_fd_kind_name(f->kind));
        json_key(w, "target");
        json_cstr(w, f->target);
        json_key(w, "inode");
        if (f->inode)
            json_uint(w, f->inode);
        else
            json_null(w);
        key_err(w, "error", f->err);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

/* An inet peer that is all zeros with port 0 is no peer at all (listening, unconnected). */
static bool no_peer(const struct details_conn *c)
{
    return c->remote_port == 0 &&
           (strcmp(c->remote, "0.0.0.0") == 0 || strcmp(c->remote, "::") == 0);
}

static void connections(struct json_writer *w, const struct proc_details *d)
{
    list_head(w, "connections", d->n_conns, d->conns_err);
    json_arr_begin(w);
    for (size_t i = 0; i < d->n_conns; i++) {
        const struct details_conn *c = &d->conns[i];
        bool inet = c->proto != DETAILS_UNIX;
        json_obj_begin(w);
        json_key(w, "fd");
        json_int(w, c->fd);
        json_key(w, "proto");
        json_cstr(w, details_conn_proto_name(c->proto));
        json_key(w, "family");
        json_cstr(w, c->family == AF_INET ? "inet" : c->family == AF_INET6 ? "inet6" : "unix");
        json_key(w, "type");
        json_cstr(w, details_sock_type_name(c->type));
        json_key(w, "local_address");
        json_cstr(w, inet ? c->local : NULL);
        json_key(w, "local_port");
        if (inet)
            json_int(w, c->local_port);
        else
            json_null(w);
        json_key(w, "remote_address");
        json_cstr(w, inet && !no_peer(c) ? c->remote : NULL);
        json_key(w, "remote_port");
        if (inet && !no_peer(c))
            json_int(w, c->remote_port);
        else
            json_null(w);
        json_key(w, "state");
        json_cstr(w, details_conn_state_name(c));
        json_key(w, "path");
        json_cstr(w, c->path);
        json_key(w, "inode");
        json_uint(w, c->inode);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

static void limit_value(struct json_writer *w, const char *key, uint64_t v)
{
    json_key(w, key);
    if (v == DETAILS_RLIM_INFINITY)
        json_cstr(w, "unlimited");
    else
        json_uint(w, v);
}

static void limits(struct json_writer *w, const struct proc_details *d)
{
    list_head(w, "limits", d->n_limits, d->limits_err);
    json_arr_begin(w);
    for (size_t i = 0; i < d->n_limits; i++) {
        const struct details_limit *l = &d->limits[i];
        json_obj_begin(w);
        json_key(w, "resource");
        json_cstr(w, l->resource);
        json_key(w, "name");
        json_str(w, l->name, strnlen(l->name, sizeof(l->name)));
        limit_value(w, "soft", l->soft);
        limit_value(w, "hard", l->hard);
        key_text(w, "unit", l->unit, sizeof(l->unit));
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

static void children(struct json_writer *w, const struct proc_details *d)
{
    list_head(w, "children", d->n_children, d->children_err);
    json_arr_begin(w);
    for (size_t i = 0; i < d->n_children; i++) {
        json_obj_begin(w);
        json_key(w, "pid");
        json_int(w, d->children[i].pid);
        json_key(w, "name");
        json_str(w, d->children[i].name, strnlen(d->children[i].name, sizeof(d->children[i].name)));
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

void output_json_details(struct json_writer *w, const struct proc_details *d)
{
    json_obj_begin(w);
    json_key(w, "interval");
    if (d->interval > 0)
        json_double(w, d->interval);
    else
        json_null(w);
    json_key(w, "zombie");
    if (d->zombie) {
        char msg[512];
        details_zombie_message(d, msg, sizeof(msg));
        json_obj_begin(w);
        json_key(w, "parent_pid");
        json_int(w, d->id.ppid);
        key_text(w, "parent_name", d->id.parent_name, sizeof(d->id.parent_name));
        json_key(w, "message");
        json_cstr(w, msg);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    identity(w, d);
    cpu(w, d);
    memory(w, &d->mem);
    io(w, &d->io);
    threads(w, d);
    files(w, d);
    connections(w, d);
    limits(w, d);
    children(w, d);
    json_obj_end(w);
}
