/*
 * xalloc.h: allocation for the CLI, where running out of memory has no
 * useful recovery: one line on stderr and exit status 1.
 */
#ifndef CPROF_CLI_XALLOC_H
#define CPROF_CLI_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);   /* NULL stays NULL */
/* The same, with every byte that is not part of valid UTF-8 as U+FFFD:
 * names from valgrind's text files go into JSON, whose writer refuses
 * them (a name left out, a speedscope file not written at all). */
char *xstrdup_text(const char *s);
/* The length of the UTF-8 sequence at s (RFC 3629: no overlong form, no
 * surrogate, nothing past U+10FFFF), or 0. */
size_t utf8_seq(const unsigned char *s);
/* How many bytes of s start no UTF-8 sequence (xstrdup_text replaces them). */
size_t utf8_bad(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Bytes about to be written all over (a hash table, an array filled next):
 * their pages faulted in by one system call, not one fault each (a fault
 * is dear in a VM). Only a hint. */
void xprefault(void *p, size_t n);
/* arr (n used of *cap elements of elem bytes) with room for one more. */
void *xgrow(void *arr, size_t n, size_t *cap, size_t elem);

#endif
