/* The interface panel (one row per interface, as ifconfig would summarise it) and the
 * detail view (every address and every counter of one interface). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/draw.h"
#include "ui/format.h"
#include "ui/panels.h"

enum icol {
    IC_NAME,
    IC_STATE,
    IC_DUPLEX,
    IC_SPEED,
    IC_MTU,
    IC_IPV4,
    IC_IPV6,
    IC_RX,
    IC_TX,
    IC_ERR,
    IC_DROP,
    IC_COUNT
};

static const struct {
    const char *title;
    int width; /* 0: the IPv6 column takes what is left */
    bool right;
} icols[IC_COUNT] = {
    [IC_NAME] = {"Interface", 15, false}, [IC_STATE] = {"State", 10, false},
    [IC_DUPLEX] = {"Dupl", 4, false},     [IC_SPEED] = {"Speed", 5, true},
    [IC_MTU] = {"MTU", 5, true},          [IC_IPV4] = {"IPv4", 18, false},
    [IC_IPV6] = {"IPv6", 0, false},       [IC_RX] = {"RX/s", 8, true},
    [IC_TX] = {"TX/s", 8, true},          [IC_ERR] = {"Errors", 6, true},
    [IC_DROP] = {"Drops", 6, true},
};

/* Screen x of each column (-1 when left out). On a narrow screen the least telling
 * columns give way, so that the addresses keep a useful width. */
static void positions(int cols, int x[IC_COUNT], int *v6w)
{
    static const enum icol drop_order[] = {IC_DROP, IC_ERR, IC_DUPLEX, IC_SPEED, IC_MTU};
    bool shown[IC_COUNT];
    int fixed = 0;
    for (int c = 0; c < IC_COUNT; c++) {
        shown[c] = true;
        fixed += icols[c].width + 1;
    }
    for (size_t i = 0; i < sizeof(drop_order) / sizeof(drop_order[0]) && cols - fixed < 20; i++) {
        shown[drop_order[i]] = false;
        fixed -= icols[drop_order[i]].width + 1;
    }
    *v6w = cols - fixed > 4 ? cols - fixed : 4;
    if (*v6w > 39)
        *v6w = 39;
    int at = 0;
    for (int c = 0; c < IC_COUNT; c++) {
        x[c] = shown[c] ? at : -1;
        if (shown[c])
            at += (icols[c].width ? icols[c].width : *v6w) + 1;
    }
}

/* The first address of a family and how many more there are. */
static const struct iface_addr *first_addr(const struct iface *f, int family, size_t *more)
{
    const struct iface_addr *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < f->n_addrs; i++) {
        if (f->addrs[i].family != family)
            continue;
        if (!first)
            first = &f->addrs[i];
        n++;
    }
    *more = n ? n - 1 : 0;
    return first;
}

static void cell(int y, int x, int w, bool right, attr_t a, const char *text)
{
    if (x < 0)
        return;
    int tw = fmt_width(text, draw_utf8());
    draw_text(y, right && tw < w ? x + w - tw : x, w, a, text);
}

static void addr_cell(int y, int x, int w, attr_t a, const struct iface *f, int family)
{
    if (x < 0)
        return;
    size_t more;
    const struct iface_addr *ad = first_addr(f, family, &more);
    if (!ad) {
        draw_text(y, x, w, a == draw_style(TH_DEFAULT) ? draw_style(TH_DIM) : a, "-");
        return;
    }
    char suffix[24] = "";
    if (more)
        snprintf(suffix, sizeof(suffix), " +%zu", more);
    int sw = (int)strlen(suffix);
    int used = draw_untrusted(y, x, w - sw > 1 ? w - sw : 1, a, ad->address,
                              strnlen(ad->address, sizeof(ad->address)), false);
    if (more)
        draw_text(y, x + used, sw, a, suffix);
}

static void iface_row(const struct monitor *m, size_t i, int y, int cols, const int x[IC_COUNT],
                      int v6w)
{
    const struct iface *f = &m->snap.ifaces[i];
    bool sel = i == m->iface_sel;
    attr_t a = sel ? draw_style(m->focus == FOCUS_IFACES ? TH_SELECTION : TH_SELECTION_UNFOCUSED)
                   : draw_style(TH_DEFAULT);
    draw_fill(y, 0, cols, a);
    draw_untrusted(y, x[IC_NAME], icols[IC_NAME].width, a, f->name,
                   strnlen(f->name, sizeof(f->name)), false);
    attr_t sa = sel ? a : draw_style(f->up ? TH_IFACE_UP : TH_IFACE_DOWN);
    char state[16];
    snprintf(state, sizeof(state), "%s%s", f->up ? "UP" : "DOWN", f->running ? " RUNNING" : "");
    cell(y, x[IC_STATE], icols[IC_STATE].width, false, sa, state);
    const char *dup = f->duplex == DUPLEX_FULL ? "full" : f->duplex == DUPLEX_HALF ? "half" : "?";
    cell(y, x[IC_DUPLEX], icols[IC_DUPLEX].width, false, a, dup);
    char buf[32];
    fmt_speed(buf, sizeof(buf), f->speed_mbps);
    cell(y, x[IC_SPEED], icols[IC_SPEED].width, true, a, buf);
    snprintf(buf, sizeof(buf), "%d", f->mtu);
    cell(y, x[IC_MTU], icols[IC_MTU].width, true, a, buf);
    addr_cell(y, x[IC_IPV4], icols[IC_IPV4].width, a, f, IFACE_ADDR_INET);
    addr_cell(y, x[IC_IPV6], v6w, a, f, IFACE_ADDR_INET6);
    fmt_rate(buf, sizeof(buf), f->rx_bytes_per_s);
    cell(y, x[IC_RX], icols[IC_RX].width, true, a, buf);
    fmt_rate(buf, sizeof(buf), f->tx_bytes_per_s);
    cell(y, x[IC_TX], icols[IC_TX].width, true, a, buf);
    fmt_count(buf, sizeof(buf), f->rx_errors + f->tx_errors);
    cell(y, x[IC_ERR], icols[IC_ERR].width, true, a, buf);
    fmt_count(buf, sizeof(buf), f->rx_dropped + f->tx_dropped);
    cell(y, x[IC_DROP], icols[IC_DROP].width, true, a, buf);
}

void panel_ifaces_draw(struct monitor *m)
{
    const struct layout *l = &m->lay;
    if (l->ifaces_h <= 0)
        return;
    int cols = l->cols, x[IC_COUNT], v6w;
    positions(cols, x, &v6w);
    attr_t h = draw_style(m->focus == FOCUS_IFACES ? TH_SORT_COLUMN : TH_PANEL_HEADER);
    draw_fill(l->ifaces_y, 0, cols, draw_style(TH_PANEL_HEADER));
    for (int c = 0; c < IC_COUNT; c++) {
        int w = icols[c].width ? icols[c].width : v6w;
        cell(l->ifaces_y, x[c], w, icols[c].right, c == IC_NAME ? h : draw_style(TH_PANEL_HEADER),
             icols[c].title);
    }
    size_t rows = (size_t)(l->ifaces_h - 1);
    size_t n = m->snap.n_ifaces;
    if (m->iface_sel < m->iface_top)
        m->iface_top = m->iface_sel;
    if (m->iface_sel >= m->iface_top + rows)
        m->iface_top = m->iface_sel + 1 - rows;
    if (m->iface_top + rows > n)
        m->iface_top = n > rows ? n - rows : 0;
    if (n == 0 && m->have_snap)
        draw_text(l->ifaces_y + 1, 1, cols - 1, draw_style(TH_DIM), "no network interfaces");
    for (size_t r = 0; r < rows && m->iface_top + r < n; r++)
        iface_row(m, m->iface_top + r, l->ifaces_y + 1 + (int)r, cols, x, v6w);
}

/* The detail view is a list of lines built for the frame, then drawn from detail_top. */
#define DETAIL_LINES 512
#define DETAIL_ADDRS 200

struct dline {
    enum theme_elem style;
    char text[256]; /* holds interface names and addresses: drawn escaped */
};

struct detail {
    struct dline lines[DETAIL_LINES];
    int n;
};

static void add(struct detail *d, enum theme_elem st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(struct detail *d, enum theme_elem st, const char *fmt, ...)
{
    if (d->n >= DETAIL_LINES)
        return;
    struct dline *l = &d->lines[d->n++];
    l->style = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof(l->text), fmt, ap);
    va_end(ap);
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void counters(struct detail *d, const char *what, uint64_t rx, uint64_t tx)
{
    char a[16], b[16];
    fmt_count(a, sizeof(a), rx);
    fmt_count(b, sizeof(b), tx);
    add(d, TH_DEFAULT, "    %-10s %20llu %-7s %20llu %-7s", what, (unsigned long long)rx,
        rx >= 100000 ? a : "", (unsigned long long)tx, tx >= 100000 ? b : "");
}

static void build_detail(const struct iface *f, int cols, struct detail *d)
{
    add(d, TH_TITLE, "Interface %s (index %d)", f->name, f->index);
    add(d, TH_DEFAULT, "%s", "");
    const char *names[32];
    size_t n = iface_flag_names(f->flags, names, 32);
    char flags[200] = "";
    size_t at = 0;
    for (size_t i = 0; i < n && i < 32 && at < sizeof(flags); i++)
        at += (size_t)snprintf(flags + at, sizeof(flags) - at, "%s%s", i ? " " : "", names[i]);
    add(d, TH_DEFAULT, "  Flags      %s", n ? flags : "(none)");
    char speed[16];
    fmt_speed(speed, sizeof(speed), f->speed_mbps);
    add(d, TH_DEFAULT, "  State      %s, %s    Duplex %s    Speed %s%s    MTU %d",
        f->up ? "UP" : "DOWN", f->running ? "RUNNING" : "not running", iface_duplex_name(f->duplex),
        f->speed_mbps < 0 ? "unknown" : speed, f->speed_mbps < 0 ? "" : "b/s", f->mtu);
    add(d, TH_DEFAULT, "%s", "");
    add(d, TH_TITLE, "  Addresses (%zu)", f->n_addrs);
    int aw = 14, nw = 7, bw = 9; /* the headers' widths */
    char addr[DETAIL_ADDRS][IFACE_ADDR_STRLEN + 12];
    size_t na = f->n_addrs < DETAIL_ADDRS ? f->n_addrs : DETAIL_ADDRS;
    for (size_t i = 0; i < na; i++) {
        const struct iface_addr *a = &f->addrs[i];
        if (a->prefixlen >= 0)
            snprintf(addr[i], sizeof(addr[i]), "%s/%d", a->address, a->prefixlen);
        else
            snprintf(addr[i], sizeof(addr[i]), "%s", a->address);
        int l = (int)strlen(addr[i]);
        aw = l > aw ? l : aw;
        l = (int)strlen(or_dash(a->netmask));
        nw = l > nw ? l : nw;
        l = (int)strlen(or_dash(a->broadcast));
        bw = l > bw ? l : bw;
    }
    if (4 + 6 + 1 + aw + 1 + nw + 1 + bw + 1 + 15 <= cols) {
        add(d, TH_PANEL_HEADER, "    %-6s %-*s %-*s %-*s %s", "family", aw, "address/prefix", nw,
            "netmask", bw, "broadcast", "peer");
        for (size_t i = 0; i < na; i++) {
            const struct iface_addr *a = &f->addrs[i];
            add(d, TH_DEFAULT, "    %-6s %-*s %-*s %-*s %s", iface_family_name(a->family), aw,
                addr[i], nw, or_dash(a->netmask), bw, or_dash(a->broadcast), or_dash(a->ptp));
        }
    } else { /* narrow: the address on one line, the rest on the next */
        for (size_t i = 0; i < na; i++) {
            const struct iface_addr *a = &f->addrs[i];
            add(d, TH_DEFAULT, "    %-6s %s", iface_family_name(a->family), addr[i]);
            add(d, TH_DEFAULT, "           netmask %s  broadcast %s  peer %s", or_dash(a->netmask),
                or_dash(a->broadcast), or_dash(a->ptp));
        }
    }
    if (na < f->n_addrs)
        add(d, TH_DIM, "    ... and %zu more", f->n_addrs - na);
    if (f->n_addrs == 0)
        add(d, TH_DIM, "    (no addresses)");
    add(d, TH_DEFAULT, "%s", "");
    add(d, TH_TITLE, "  Counters");
    add(d, TH_PANEL_HEADER, "    %-10s %20s %-7s %20s %-7s", "", "RX", "", "TX", "");
    counters(d, "bytes", f->rx_bytes, f->tx_bytes);
    counters(d, "packets", f->rx_packets, f->tx_packets);
    counters(d, "errors", f->rx_errors, f->tx_errors);
    counters(d, "dropped", f->rx_dropped, f->tx_dropped);
    char rx[16], tx[16];
    fmt_rate(rx, sizeof(rx), f->rx_bytes_per_s);
    fmt_rate(tx, sizeof(tx), f->tx_bytes_per_s);
    add(d, TH_DEFAULT, "    %-10s %20s %-7s %20s", "rate", rx, "", tx);
}

void panel_iface_detail_draw(struct monitor *m)
{
    const struct layout *l = &m->lay;
    int y0 = l->procs_y, h = l->status_y - l->procs_y, cols = l->cols;
    const struct iface *f = NULL;
    for (size_t i = 0; i < m->snap.n_ifaces && !f; i++)
        if (strcmp(m->snap.ifaces[i].name, m->detail_iface) == 0)
            f = &m->snap.ifaces[i];
    for (int r = 0; r < h; r++)
        draw_fill(y0 + r, 0, cols, draw_style(TH_DEFAULT));
    if (!f) {
        char msg[128];
        snprintf(msg, sizeof(msg), "interface %s is gone (Esc returns)", m->detail_iface);
        draw_untrusted(y0, 1, cols - 1, draw_style(TH_STATUS_ERROR), msg, strlen(msg), false);
        return;
    }
    static struct detail d; /* large; one frame at a time */
    d.n = 0;
    build_detail(f, cols, &d);
    if (m->detail_top + (size_t)h > (size_t)d.n)
        m->detail_top = d.n > h ? (size_t)(d.n - h) : 0;
    for (int r = 0; r < h && m->detail_top + (size_t)r < (size_t)d.n; r++) {
        const struct dline *dl = &d.lines[m->detail_top + (size_t)r];
        attr_t a = draw_style(dl->style);
        if (dl->style == TH_PANEL_HEADER)
            draw_fill(y0 + r, 0, cols, a);
        draw_untrusted(y0 + r, 0, cols, a, dl->text, strlen(dl->text), false);
    }
    static const char hint[] = "Esc: back  Up/Down: scroll";
    int hl = (int)sizeof(hint) - 1;
    if (cols > hl + 40)
        draw_text(y0, cols - hl, hl, draw_style(TH_DIM), hint);
}
