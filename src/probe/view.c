/* STUB: replaced by sorting, filtering and the tree. */
#include "probe/view.h"

#include <errno.h>
#include <string.h>

const char *sort_key_name(enum sort_key k)
{
    (void)k;
    return "pid";
}

int sort_key_parse(const char *name)
{
    (void)name;
    return -1;
}

bool sort_key_descending(enum sort_key k)
{
    (void)k;
    return false;
}

void view_options_default(struct view_options *o)
{
    memset(o, 0, sizeof(*o));
    o->sort = SORT_CPU;
}

int view_build(const struct snapshot *s, const struct view_options *o, struct view *out)
{
    (void)s;
    (void)o;
    out->rows = NULL;
    out->n = 0;
    return -ENOSYS;
}

void view_done(struct view *v)
{
    (void)v;
}

int view_compare(const struct proc_entry *a, const struct proc_entry *b, enum sort_key k)
{
    (void)k;
    return (a->pid > b->pid) - (a->pid < b->pid);
}
