/* The scanner's entries (proc_scan.c): the block of process entries a refresh writes,
 * shared with the snapshot, and how each record's entry gets there from the last block.
 * See proc_scan.c's header for why the block is shared and rewritten in place. */
#include <string.h>

#include "platform/linux/proc_scan_int.h"
#include "probe/xalloc.h"

/* The fields of e that are filled only on request (proc_scan_fill_wanted): unread. */
void proc_scan_clear_wanted(struct proc_entry *e)
{
    e->cmdline = e->exe = NULL;
    e->have = 0;
    e->user = "";
    e->uid = 0;
    e->ionice_class = IONICE_UNKNOWN;
    e->ionice_level = -1;
    e->io_read_bytes = e->io_write_bytes = -1;
    e->io_read_rate = e->io_write_rate = -1;
    e->cpu_percent = e->mem_percent = 0;
}

/* e as a copy of the hot fields of src, the rest not read yet. */
void proc_scan_entry_from(const struct proc_entry *src, struct proc_entry *e)
{
    *e = *src;
    proc_scan_clear_wanted(e);
}

/* e as record r's entry before anything is read: its identity, the rest unread. */
void proc_scan_entry_init(const struct proc_rec *r, struct proc_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->pid = r->pid;
    e->start_ticks = r->start_ticks;
    e->threads = 1;
    proc_scan_clear_wanted(e);
}

/* The block this refresh writes: the last one again when nobody else holds it (the UI
 * lets go of its snapshot before it samples) and it has room; else a new one, with room
 * to grow. Writing the same pages again spares a fresh mapping per refresh, whose first
 * touch of each page costs more than the copy itself on a virtual machine. */
struct proc_block *proc_scan_target_block(struct proc_scanner *sc)
{
    struct proc_block *old = sc->last;
    if (old && old->refs == 1 && sc->n_recs <= old->cap)
        return old;
    struct proc_block *blk = proc_block_new(sc->n_recs + sc->n_recs / 8 + 64);
    xpopulate(blk->e, sc->n_recs * sizeof(blk->e[0])); /* the room stays untouched */
    return blk;
}

/* Moves record i's entry from its slot in the last block to entry i of blk (the same block
 * or not), if the slot still holds it; else marks the record as having none. */
static void move_entry(struct proc_scanner *sc, struct proc_block *blk, size_t i, size_t old_n)
{
    const struct proc_block *old = sc->last;
    struct proc_rec *r = sc->recs[i];
    uint32_t sl = r->slot;
    if (sl < old_n && old->e[sl].pid == r->pid && old->e[sl].start_ticks == r->start_ticks) {
        if (&blk->e[i] != &old->e[sl])
            blk->e[i] = old->e[sl];
        proc_scan_clear_wanted(&blk->e[i]);
        r->slot = (uint32_t)i;
    } else {
        r->slot = SLOT_NONE;
    }
}

/* Entry i of blk starts as record i's entry in the last block; without one (a new record,
 * or a block someone reordered), stat and statm are read again. Records and entries are
 * both in pid order, so in place an entry moves towards the front where processes went
 * away and towards the back where new ones came in between: the first kind is moved
 * front to back, the second back to front, then new entries are set, and no entry is
 * overwritten before it moved. (In a reordered block a source may be overwritten first;
 * the pid and start time check then treats its record as new.) */
void proc_scan_prepare_entries(struct proc_scanner *sc, struct proc_block *blk)
{
    const struct proc_block *old = sc->last;
    size_t old_n = old ? old->n : 0;
    if (old == blk) {
        for (size_t j = 0; j < old_n; j++)
            proc_entry_done(&blk->e[j]); /* read again from the records' caches */
    }
    size_t n = sc->n_recs;
    for (size_t i = 0; i < n; i++) {
        struct proc_rec *r = sc->recs[i];
        if (r->fresh)
            r->slot = SLOT_NONE;
        else if (r->slot != SLOT_NONE && r->slot >= i)
            move_entry(sc, blk, i, old_n);
    }
    for (size_t i = n; i-- > 0;) {
        struct proc_rec *r = sc->recs[i];
        if (r->slot != SLOT_NONE && r->slot < i)
            move_entry(sc, blk, i, old_n);
    }
    for (size_t i = 0; i < n; i++) {
        struct proc_rec *r = sc->recs[i];
        if (r->slot != SLOT_NONE || r->fresh)
            continue; /* a new process's entry is set where it is read (refresh_one) */
        proc_scan_entry_init(r, &blk->e[i]);
        r->dirty = r->statm_due = true;
    }
    blk->n = 0; /* entries are the records' until the refresh is over */
}
