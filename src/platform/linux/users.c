#include "platform/linux/users.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/snapshot.h"
#include "probe/xalloc.h"

struct user_name {
    uid_t uid;
    const char *name; /* proc_user_intern's: outlives the cache */
};

/* Sorted by uid; a machine has few distinct uids among its processes. */
struct user_cache {
    struct user_name *names;
    size_t n, cap;
};

struct user_cache *user_cache_new(void)
{
    return xcalloc(1, sizeof(struct user_cache));
}

void user_cache_free(struct user_cache *uc)
{
    if (!uc)
        return;
    free(uc->names);
    free(uc);
}

static void lookup(uid_t uid, char *out, size_t cap)
{
    size_t bufsz = 1024;
    char *buf = NULL;
    struct passwd pw, *res = NULL;
    int r;
    do {
        bufsz *= 2;
        buf = xrealloc(buf, bufsz);
        r = getpwuid_r(uid, &pw, buf, bufsz, &res);
    } while (r == ERANGE && bufsz < (1u << 20));
    if (r == 0 && res && res->pw_name && res->pw_name[0])
        snprintf(out, cap, "%s", res->pw_name);
    else
        snprintf(out, cap, "%lu", (unsigned long)uid);
    free(buf);
}

const char *user_cache_name(struct user_cache *uc, uid_t uid)
{
    size_t lo = 0, hi = uc->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (uc->names[mid].uid < uid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < uc->n && uc->names[lo].uid == uid)
        return uc->names[lo].name;
    if (uc->n == uc->cap) {
        uc->cap = uc->cap ? uc->cap * 2 : 16;
        uc->names = xreallocarray(uc->names, uc->cap, sizeof(*uc->names));
    }
    char name[USER_NAME_MAX];
    lookup(uid, name, sizeof(name));
    memmove(&uc->names[lo + 1], &uc->names[lo], (uc->n - lo) * sizeof(*uc->names));
    uc->names[lo].uid = uid;
    uc->names[lo].name = proc_user_intern(name);
    uc->n++;
    return uc->names[lo].name;
}
