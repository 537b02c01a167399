/* User names by uid, looked up once through getpwuid_r and cached: a refresh asks for the
 * same few uids thousands of times, and NSS lookups can be slow. */
#ifndef VIGIL_USERS_H
#define VIGIL_USERS_H

#include <sys/types.h>

struct user_cache;

struct user_cache *user_cache_new(void);
void user_cache_free(struct user_cache *uc); /* NULL-safe */

/* The name of uid, or its number as text when it has none. Never NULL; interned
 * (proc_user_intern): the string lives as long as the program. */
const char *user_cache_name(struct user_cache *uc, uid_t uid);

#endif
