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

/* Maps in the whole pages of [p, p + n) now, in one system call, instead of a page fault
 * at each first touch: on a virtual machine a fault costs some 15 us (a 2.4 MB array,
 * 10 ms) and one call for all of them 0.4 ms. Only for memory that is about to be written
 * through (populating the unused room of an array would only add to the RSS). Does
 * nothing where the kernel cannot (before Linux 5.14). */
void xpopulate(void *p, size_t n);

/* Called once before exiting on allocation failure; NULL to clear. */
void xalloc_set_fatal_hook(void (*hook)(void));

#endif
