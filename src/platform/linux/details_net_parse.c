/* The inspector's parsers for sockets: fd link targets and the tables of
 * /proc/PID/net (declared in details_parse.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/linux/details_parse.h"
#include "platform/linux/details_scan.h"
#include "probe/xalloc.h"

/* ---- fd links ---- */

/* "prefix[123]" -> 123. */
static bool bracket_inode(const char *s, size_t len, size_t plen, uint64_t *inode)
{
    return len > plen + 2 && s[plen] == '[' && s[len - 1] == ']' &&
           parse_u64(s + plen + 1, len - plen - 2, inode);
}

void details_parse_fd_target(const char *s, size_t len, int *kind, uint64_t *inode)
{
    *inode = 0;
    if (len > 0 && s[0] == '/')
        *kind = DETAILS_FD_FILE;
    else if (len > 7 && memcmp(s, "socket:", 7) == 0 && bracket_inode(s, len, 7, inode))
        *kind = DETAILS_FD_SOCKET;
    else if (len > 5 && memcmp(s, "pipe:", 5) == 0 && bracket_inode(s, len, 5, inode))
        *kind = DETAILS_FD_PIPE;
    else if (len > 11 && memcmp(s, "anon_inode:", 11) == 0)
        *kind = DETAILS_FD_ANON;
    else
        *kind = DETAILS_FD_OTHER;
}

/* ---- net ---- */

static bool inode_wanted(const uint64_t *inodes, size_t n, uint64_t inode)
{
    if (!inodes)
        return true;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (inodes[mid] == inode)
            return true;
        if (inodes[mid] < inode)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* "0100007F:1F90" -> text and port. Each 8 hex digits are one 32-bit word the kernel
 * printed with %08X from memory in host order (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c),
 * so the word's bytes in host order are the address bytes. */
static bool inet_endpoint(const char *tok, size_t len, int family, char *text, size_t cap,
                          unsigned *port)
{
    const char *colon = memchr(tok, ':', len);
    size_t hexlen = family == AF_INET ? 8 : 32;
    if (!colon || (size_t)(colon - tok) != hexlen)
        return false;
    uint64_t pv;
    if (!parse_hex(colon + 1, (size_t)(tok + len - colon - 1), &pv) || pv > 65535)
        return false;
    unsigned char bytes[16];
    for (size_t w = 0; w < hexlen / 8; w++) {
        uint64_t word;
        if (!parse_hex(tok + w * 8, 8, &word))
            return false;
        uint32_t w32 = (uint32_t)word;
        memcpy(bytes + w * 4, &w32, 4);
    }
    if (!inet_ntop(family, bytes, text, (socklen_t)cap))
        return false;
    *port = (unsigned)pv;
    return true;
}

static struct details_conn *conn_push(struct details_conn **conns, size_t *n)
{
    *conns = xreallocarray(*conns, *n + 1, sizeof(**conns));
    struct details_conn *c = &(*conns)[(*n)++];
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    return c;
}

#define TCP_LISTEN_STATE 0x0A

int details_parse_net_inet(const char *buf, size_t len, int family, int proto,
                           const uint64_t *inodes, size_t n_inodes, struct details_conn **conns,
                           size_t *n)
{
    if ((family != AF_INET && family != AF_INET6) || (proto != DETAILS_TCP && proto != DETAILS_UDP))
        return -EINVAL;
    const char *p = buf, *end = buf + len, *line, *lend;
    bool first = true;
    while (next_line(&p, end, &line, &lend)) {
        const char *q = line, *tok[10];
        size_t tlen[10];
        int nt = 0;
        while (nt < 10 && next_token(&q, lend, &tok[nt], &tlen[nt]))
            nt++;
        if (nt == 0)
            continue;
        if (first) {
            first = false;
            if (tok_is(tok[0], tlen[0], "sl"))
                continue; /* the header */
        }
        uint64_t st, inode;
        char local[DETAILS_ADDR_STRLEN], remote[DETAILS_ADDR_STRLEN];
        unsigned lport, rport;
        /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
        if (nt < 10 || tlen[0] < 2 || tok[0][tlen[0] - 1] != ':' ||
            !inet_endpoint(tok[1], tlen[1], family, local, sizeof(local), &lport) ||
            !inet_endpoint(tok[2], tlen[2], family, remote, sizeof(remote), &rport) ||
            !parse_hex(tok[3], tlen[3], &st) || st > 0xff || !parse_u64(tok[9], tlen[9], &inode))
            return -EINVAL;
        if (!inode_wanted(inodes, n_inodes, inode))
            continue;
        struct details_conn *c = conn_push(conns, n);
        c->inode = inode;
        c->proto = proto;
        c->family = family;
        c->type = proto == DETAILS_TCP ? SOCK_STREAM : SOCK_DGRAM;
        memcpy(c->local, local, sizeof(local));
        memcpy(c->remote, remote, sizeof(remote));
        c->local_port = lport;
        c->remote_port = rport;
        c->state = (int)st;
        c->listening = proto == DETAILS_TCP && st == TCP_LISTEN_STATE;
    }
    return 0;
}

#define UNIX_ACCEPTCON 0x10000 /* __SO_ACCEPTCON in the Flags column: a listening socket */

int details_parse_net_unix(const char *buf, size_t len, const uint64_t *inodes, size_t n_inodes,
                           struct details_conn **conns, size_t *n)
{
    const char *p = buf, *end = buf + len, *line, *lend;
    bool first = true;
    while (next_line(&p, end, &line, &lend)) {
        const char *q = line, *tok[7];
        size_t tlen[7];
        int nt = 0;
        while (nt < 7 && next_token(&q, lend, &tok[nt], &tlen[nt]))
            nt++;
        if (nt == 0)
            continue;
        if (first) {
            first = false;
            if (tok_is(tok[0], tlen[0], "Num"))
                continue;
        }
        /* Num: RefCount Protocol Flags Type St Inode [Path] */
        uint64_t flags, type, st, inode, dummy;
        if (nt < 7 || tlen[0] < 2 || tok[0][tlen[0] - 1] != ':' ||
            !parse_hex(tok[1], tlen[1], &dummy) || !parse_hex(tok[3], tlen[3], &flags) ||
            !parse_hex(tok[4], tlen[4], &type) || !parse_hex(tok[5], tlen[5], &st) ||
            !parse_u64(tok[6], tlen[6], &inode))
            return -EINVAL;
        if (!inode_wanted(inodes, n_inodes, inode))
            continue;
        struct details_conn *c = conn_push(conns, n);
        c->inode = inode;
        c->proto = DETAILS_UNIX;
        c->family = AF_UNIX;
        c->type = (int)type;
        c->state = (int)st;
        c->listening = (flags & UNIX_ACCEPTCON) != 0;
        /* the path is the rest of the line after one space: it may hold spaces itself */
        if (q < lend && *q == ' ' && q + 1 < lend)
            c->path = xstrndup(q + 1, (size_t)(lend - q - 1));
    }
    return 0;
}
