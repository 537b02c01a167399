/* Allocation that never returns NULL: on failure it runs the registered hook (the UI
 * restores the terminal there), prints one line and exits 1. */
#ifndef VIGIL_XALLOC_H
#define VIGIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Called once before exiting on allocation failure; NULL to clear. */
void xalloc_set_fatal_hook(void (*hook)(void));

#endif
