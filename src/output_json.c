#include "output_json.h"

#include <string.h>

/* Percentages of one CPU line; every mode null when there was no previous sample. */
static void json_cpu_pct(struct json_writer *w, const struct cpu_pct *p)
{
    static const char *const keys[] = {"busy", "user",    "system", "nice", "iowait",
                                       "irq",  "softirq", "steal",  "idle"};
    const double vals[] = {p->busy, p->user,    p->system, p->nice, p->iowait,
                           p->irq,  p->softirq, p->steal,  p->idle};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_key(w, keys[i]);
        if (p->valid)
            json_double(w, vals[i]);
        else
            json_null(w);
    }
}

/* A count where 0 means the system did not say. */
static void json_count_or_null(struct json_writer *w, const char *key, int v)
{
    json_key(w, key);
    if (v > 0)
        json_int(w, v);
    else
        json_null(w);
}

static void json_host(struct json_writer *w, const struct host_info *h)
{
    json_key(w, "host");
    json_obj_begin(w);
    json_key(w, "hostname");
    json_str(w, h->hostname, strnlen(h->hostname, sizeof(h->hostname)));
    json_key(w, "kernel");
    json_str(w, h->kernel, strnlen(h->kernel, sizeof(h->kernel)));
    json_key(w, "boot_time");
    json_double(w, h->boot_time);
    json_key(w, "uptime");
    json_double(w, h->uptime);
    json_key(w, "load");
    json_arr_begin(w);
    for (int i = 0; i < 3; i++)
        json_double(w, h->load[i]);
    json_arr_end(w);
    json_obj_end(w);
}

static void json_cpu(struct json_writer *w, const struct cpu_info *c)
{
    json_key(w, "cpu");
    json_obj_begin(w);
    json_count_or_null(w, "logical", c->logical);
    json_count_or_null(w, "physical", c->physical);
    json_count_or_null(w, "sockets", c->sockets);
    json_key(w, "total");
    json_obj_begin(w);
    json_cpu_pct(w, &c->total.pct);
    json_obj_end(w);
    json_key(w, "per_cpu");
    json_arr_begin(w);
    for (size_t i = 0; i < c->n_cpu; i++) {
        json_obj_begin(w);
        json_key(w, "id");
        json_int(w, c->per_cpu[i].id);
        json_cpu_pct(w, &c->per_cpu[i].pct);
        json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
}

static void json_mem(struct json_writer *w, const struct mem_info *m)
{
    json_key(w, "memory");
    json_obj_begin(w);
    json_key(w, "total");
    json_uint(w, m->total);
    json_key(w, "available");
    json_uint(w, m->available);
    json_key(w, "used");
    json_uint(w, m->used);
    json_key(w, "free");
    json_uint(w, m->free);
    json_key(w, "buffers");
    json_uint(w, m->buffers);
    json_key(w, "cached");
    json_uint(w, m->cached);
    json_key(w, "shared");
    json_uint(w, m->shared);
    json_obj_end(w);

    json_key(w, "swap");
    json_obj_begin(w);
    json_key(w, "total");
    json_uint(w, m->swap_total);
    json_key(w, "used");
    json_uint(w, m->swap_used);
    json_key(w, "free");
    json_uint(w, m->swap_free);
    json_obj_end(w);
}

/* An address text from the model: "" means null. */
static void json_addr_text(struct json_writer *w, const char *key, const char *text, size_t cap)
{
    json_key(w, key);
    size_t n = strnlen(text, cap);
    if (n)
        json_str(w, text, n);
    else
        json_null(w);
}

static void json_iface(struct json_writer *w, const struct iface *f)
{
    const char *flags[32];
    size_t n_flags = iface_flag_names(f->flags, flags, sizeof(flags) / sizeof(flags[0]));
    if (n_flags > sizeof(flags) / sizeof(flags[0]))
        n_flags = sizeof(flags) / sizeof(flags[0]);

    json_obj_begin(w);
    json_key(w, "name");
    json_str(w, f->name, strnlen(f->name, sizeof(f->name)));
    json_key(w, "index");
    json_int(w, f->index);
    json_key(w, "up");
    json_bool(w, f->up);
    json_key(w, "running");
    json_bool(w, f->running);
    json_key(w, "flags");
    json_arr_begin(w);
    for (size_t i = 0; i < n_flags; i++)
        json_cstr(w, flags[i]);
    json_arr_end(w);
    json_key(w, "duplex");
    json_cstr(w, iface_duplex_name(f->duplex));
    json_key(w, "speed_mbps");
    if (f->speed_mbps >= 0)
        json_int(w, f->speed_mbps);
    else
        json_null(w);
    json_key(w, "mtu");
    json_int(w, f->mtu);
    json_key(w, "addresses");
    json_arr_begin(w);
    for (size_t i = 0; i < f->n_addrs; i++) {
        const struct iface_addr *a = &f->addrs[i];
        json_obj_begin(w);
        json_key(w, "family");
        json_cstr(w, iface_family_name(a->family));
        json_addr_text(w, "address", a->address, sizeof(a->address));
        json_addr_text(w, "netmask", a->netmask, sizeof(a->netmask));
        json_addr_text(w, "broadcast", a->broadcast, sizeof(a->broadcast));
        json_addr_text(w, "ptp", a->ptp, sizeof(a->ptp));
        json_obj_end(w);
    }
    json_arr_end(w);
    const struct {
        const char *key;
        uint64_t v;
    } counters[] = {
        {"rx_bytes", f->rx_bytes},     {"tx_bytes", f->tx_bytes},     {"rx_packets", f->rx_packets},
        {"tx_packets", f->tx_packets}, {"rx_errors", f->rx_errors},   {"tx_errors", f->tx_errors},
        {"rx_dropped", f->rx_dropped}, {"tx_dropped", f->tx_dropped},
    };
    for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
        json_key(w, counters[i].key);
        json_uint(w, counters[i].v);
    }
    json_key(w, "rx_bytes_per_s");
    json_double(w, f->rx_bytes_per_s);
    json_key(w, "tx_bytes_per_s");
    json_double(w, f->tx_bytes_per_s);
    json_obj_end(w);
}

/* cmdline is NUL-separated; the kernel's trailing NUL is dropped (by the probe, and here
 * again should one remain), so "a\0b" is ["a", "b"] and "a\0\0b" keeps its empty item. */
static void json_cmdline(struct json_writer *w, const struct vstr *cmd)
{
    json_arr_begin(w);
    if (cmd && cmd->len) {
        size_t len = cmd->len;
        if (cmd->data[len - 1] == '\0')
            len--;
        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i == len || cmd->data[i] == '\0') {
                json_str(w, cmd->data + start, i - start);
                start = i + 1;
            }
        }
    }
    json_arr_end(w);
}

static void json_io_bytes(struct json_writer *w, const char *key, const struct proc_entry *p,
                          int64_t v)
{
    json_key(w, key);
    if ((p->have & PROC_F_IO) && v >= 0)
        json_int(w, v);
    else
        json_null(w);
}

void output_json_process_open(struct json_writer *w, const struct proc_entry *p)
{
    char tty[32];
    json_obj_begin(w);
    json_key(w, "pid");
    json_int(w, p->pid);
    json_key(w, "ppid");
    json_int(w, p->ppid);
    json_key(w, "name");
    json_str(w, p->name, strnlen(p->name, sizeof(p->name)));
    json_key(w, "cmdline");
    json_cmdline(w, p->cmdline);
    json_key(w, "exe");
    if ((p->have & PROC_F_EXE) && p->exe)
        json_str(w, p->exe->data, p->exe->len);
    else
        json_null(w);
    json_key(w, "user");
    if (p->have & PROC_F_USER)
        json_str(w, proc_entry_user(p), strlen(proc_entry_user(p)));
    else
        json_null(w);
    json_key(w, "uid");
    if (p->have & PROC_F_USER)
        json_uint(w, p->uid);
    else
        json_null(w);
    json_key(w, "state");
    if (p->state)
        json_str(w, &p->state, 1);
    else
        json_null(w);
    json_key(w, "zombie");
    json_bool(w, p->state == 'Z');
    json_key(w, "kernel_thread");
    json_bool(w, p->kernel_thread);
    json_key(w, "nice");
    json_int(w, p->nice);
    json_key(w, "priority");
    json_int(w, p->priority);
    json_key(w, "ionice");
    const char *cls = (p->have & PROC_F_IONICE) ? ionice_class_name(p->ionice_class) : NULL;
    if (cls) {
        json_obj_begin(w);
        json_key(w, "class");
        json_cstr(w, cls);
        json_key(w, "level");
        bool has_level =
            p->ionice_class == IONICE_REALTIME || p->ionice_class == IONICE_BEST_EFFORT;
        if (has_level && p->ionice_level >= 0)
            json_int(w, p->ionice_level);
        else
            json_null(w);
        json_obj_end(w);
    } else {
        json_null(w);
    }
    json_key(w, "threads");
    json_int(w, p->threads);
    json_key(w, "rss");
    json_uint(w, p->rss);
    json_key(w, "vms");
    json_uint(w, p->vms);
    json_key(w, "shared");
    json_uint(w, p->shared);
    json_key(w, "mem_percent");
    json_double(w, p->mem_percent);
    json_key(w, "cpu_percent");
    json_double(w, p->cpu_percent);
    json_key(w, "cpu_time");
    json_double(w, p->cpu_time);
    json_key(w, "start_time");
    json_double(w, p->start_time);
    json_key(w, "tty");
    if (proc_tty_name(p->tty_nr, tty, sizeof(tty)))
        json_cstr(w, tty);
    else
        json_null(w);
    json_io_bytes(w, "io_read_bytes", p, p->io_read_bytes);
    json_io_bytes(w, "io_write_bytes", p, p->io_write_bytes);
}

void output_json_snapshot(struct strbuf *out, const struct snapshot *s, const struct view *v)
{
    output_json_snapshot_hooked(out, s, v, NULL);
}

void output_json_snapshot_hooked(struct strbuf *out, const struct snapshot *s, const struct view *v,
                                 const struct output_json_hook *hook)
{
    struct json_writer w;
    json_writer_init(&w, out);
    json_obj_begin(&w);
    json_key(&w, "time");
    json_double(&w, s->time);
    json_key(&w, "interval");
    json_double(&w, s->interval);
    json_host(&w, &s->host);
    json_cpu(&w, &s->cpu);
    json_mem(&w, &s->mem);
    json_key(&w, "interfaces");
    json_arr_begin(&w);
    for (size_t i = 0; i < s->n_ifaces; i++)
        json_iface(&w, &s->ifaces[i]);
    json_arr_end(&w);
    json_key(&w, "processes");
    json_arr_begin(&w);
    size_t n = v ? v->n : s->n_procs;
    for (size_t i = 0; i < n; i++) {
        const struct proc_entry *p = v ? v->rows[i].proc : &s->procs[i];
        output_json_process_open(&w, p);
        if (hook && hook->process)
            hook->process(&w, p, hook->arg);
        json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    strbuf_putc(out, '\n');
}
