/* The scanner's per-process records and where they live.
 *
 * At 10,000 processes the records are much of what vigil keeps, and all of it resident:
 * each is read every refresh. So a record holds only what every refresh needs (64 bytes);
 * what only the fields asked for need (command line, exe, uid, I/O, ionice: for the rows
 * on screen) is a side struct allocated the first time. And records come from chunks of
 * REC_CHUNK rather than one malloc each, which would add a 16-byte header apiece. Each
 * record knows its chunk (an index in sc->slab.chunks) and a chunk its free records (a
 * list through their slot field), so a record is given back in constant time and a
 * chunk whose records are all gone is freed. Records never move: sc->recs points at them.
 *
 * Only the scanner's own thread takes or gives back records. The workers of the first
 * refreshes (refresh_all in proc_scan.c) may reset one (a reused pid), which frees only
 * its side struct, with free(). */
#include <stdlib.h>
#include <string.h>

#include "platform/linux/proc_scan_int.h"
#include "probe/xalloc.h"

#define REC_CHUNK 256 /* 16 KiB of records; pid_max is at most 2^22: 2^14 chunks */

/* Under ASan a record given back is poisoned, so a stale pointer to it is caught as if
 * it had been freed. */
#if defined(__SANITIZE_ADDRESS__)
#define REC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REC_ASAN 1
#endif
#endif
#ifdef REC_ASAN
#include <sanitizer/asan_interface.h>
#define rec_poison(p, n)   __asan_poison_memory_region((p), (n))
#define rec_unpoison(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define rec_poison(p, n)   ((void)(p), (void)(n))
#define rec_unpoison(p, n) ((void)(p), (void)(n))
#endif

struct rec_chunk {
    uint32_t free; /* index of the first free record given back, SLOT_NONE when none */
    uint32_t live; /* records handed out */
    uint32_t used; /* records ever handed out; those beyond were never touched */
    struct proc_rec rec[REC_CHUNK];
};

_Static_assert(REC_CHUNK <= SLOT_NONE && (4194304 / REC_CHUNK + 1) <= UINT16_MAX,
               "a record's chunk index fits its uint16_t");

static bool chunk_has_room(const struct rec_chunk *c)
{
    return c && c->live < REC_CHUNK;
}

/* The chunk to take a record from: the last one used if it has room, else the first
 * with room, else a new one (in the first hole of the table, if any). */
static size_t slab_pick(struct rec_slab *s)
{
    if (s->avail < s->n_chunks && chunk_has_room(s->chunks[s->avail]))
        return s->avail;
    size_t hole = s->n_chunks;
    for (size_t i = 0; i < s->n_chunks; i++) {
        if (chunk_has_room(s->chunks[i]))
            return s->avail = i;
        if (!s->chunks[i] && hole == s->n_chunks)
            hole = i;
    }
    if (hole == s->n_chunks) {
        s->chunks = xreallocarray(s->chunks, s->n_chunks + 1, sizeof(*s->chunks));
        s->n_chunks++;
    }
    struct rec_chunk *c = xmalloc(sizeof(*c));
    /* mapped in at once: the first refresh fills 40 chunks at 10,000 processes, and a
     * fault per page would cost 2.5 ms there; later, at most this one chunk's 16 KiB
     * is resident before its records are used */
    xpopulate(c, sizeof(*c));
    c->free = SLOT_NONE;
    c->live = c->used = 0;
    rec_poison(c->rec, sizeof(c->rec));
    s->chunks[hole] = c;
    return s->avail = hole;
}

static struct proc_rec *slab_take(struct rec_slab *s)
{
    size_t ci = slab_pick(s);
    struct rec_chunk *c = s->chunks[ci];
    struct proc_rec *r;
    if (c->free != SLOT_NONE) {
        r = &c->rec[c->free];
        rec_unpoison(r, sizeof(*r));
        c->free = r->slot;
    } else {
        r = &c->rec[c->used++];
        rec_unpoison(r, sizeof(*r));
    }
    c->live++;
    r->chunk = (uint16_t)ci;
    return r;
}

static void slab_give(struct rec_slab *s, struct proc_rec *r)
{
    size_t ci = r->chunk;
    struct rec_chunk *c = s->chunks[ci];
    r->slot = c->free;
    c->free = (uint32_t)(r - c->rec);
    rec_poison(r, sizeof(*r));
    if (--c->live == 0 && ci != s->avail) {
        /* the chunk taken from keeps its room: a pid that comes and goes costs no malloc */
        free(c);
        s->chunks[ci] = NULL;
    } else if (!chunk_has_room(s->chunks[s->avail])) {
        s->avail = ci;
    }
}

void proc_rec_slab_free(struct proc_scanner *sc)
{
    for (size_t i = 0; i < sc->slab.n_chunks; i++)
        free(sc->slab.chunks[i]);
    free(sc->slab.chunks);
    memset(&sc->slab, 0, sizeof(sc->slab));
}

/* The caches an exec makes stale: the command line and the exe, unread again. */
static void more_drop_identity(struct proc_rec_more *m)
{
    vstr_unref(m->cmdline);
    vstr_unref(m->exe);
    m->cmdline = m->exe = NULL;
    m->cmdline_read = m->exe_read = false;
}

static void more_free(struct proc_rec_more *m)
{
    if (!m)
        return;
    more_drop_identity(m);
    free(m);
}

/* A record that knows nothing yet of the process at pid (chunk is kept). */
static void rec_init(struct proc_rec *r, pid_t pid)
{
    uint16_t chunk = r->chunk;
    memset(r, 0, sizeof(*r));
    for (int f = 0; f < PF_COUNT; f++)
        r->fd[f] = -1;
    r->pid = pid;
    r->slot = SLOT_NONE;
    r->fresh = true;
    r->chunk = chunk;
}

struct proc_rec *proc_rec_new(struct proc_scanner *sc, pid_t pid)
{
    struct proc_rec *r = slab_take(&sc->slab);
    rec_init(r, pid);
    return r;
}

/* Forgets everything about the identity that had this pid. */
void proc_rec_reset(struct proc_scanner *sc, struct proc_rec *r)
{
    proc_scan_close_fds(sc, r);
    more_free(r->more);
    rec_init(r, r->pid);
}

void proc_rec_free(struct proc_scanner *sc, struct proc_rec *r)
{
    if (!r)
        return;
    proc_scan_close_fds(sc, r);
    more_free(r->more);
    slab_give(&sc->slab, r);
}

void proc_rec_drop_identity(struct proc_rec *r)
{
    if (r->more)
        more_drop_identity(r->more);
}

struct proc_rec_more *proc_rec_more(struct proc_rec *r)
{
    if (!r->more)
        r->more = xcalloc(1, sizeof(*r->more));
    return r->more;
}
