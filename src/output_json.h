/* One snapshot as one line of JSON (JSON Lines), exactly the contract's "JSON snapshot"
 * (../shared/spec/interface.md): keys in the contract's order, units bytes/seconds/
 * percent, null for what is unknown. */
#ifndef VIGIL_OUTPUT_JSON_H
#define VIGIL_OUTPUT_JSON_H

#include "json.h"
#include "probe/snapshot.h"
#include "probe/view.h"
#include "strbuf.h"

/* Appends the snapshot as one line ending in '\n'. The processes listed are v's rows in
 * their order, or, when v is NULL, every process of s in pid order. */
void output_json_snapshot(struct strbuf *out, const struct snapshot *s, const struct view *v);

/* Adds keys to each process object before it is closed (--details). */
struct output_json_hook {
    void (*process)(struct json_writer *w, const struct proc_entry *p, void *arg);
    void *arg;
};

/* output_json_snapshot with a hook (NULL: none). */
void output_json_snapshot_hooked(struct strbuf *out, const struct snapshot *s, const struct view *v,
                                 const struct output_json_hook *hook);

/* Writes one process object (the contract's "processes" item); for callers that add
 * sections, such as --details. The object is left open: the caller closes it with
 * json_obj_end(). */
void output_json_process_open(struct json_writer *w, const struct proc_entry *p);

#endif
