/*
 * init_edit.h: the two touches `init` gives the manifest after `cargo add`
 * wrote it: the user's CRLF line ends back (cargo writes LF), and for
 * --optional the crate's own feature that turns profiling on (cargo add has
 * no way to add a feature).
 */
#ifndef CPROF_CLI_INIT_EDIT_H
#define CPROF_CLI_INIT_EDIT_H

#include <stddef.h>

/* 1 if the text has line ends and every one of them is CRLF. */
int text_is_crlf(const char *t, size_t n);
/* The text with every bare LF made CRLF (malloc'd, NUL-terminated). */
char *text_to_crlf(const char *t, size_t n, size_t *out_n);
/*
 * The manifest with feature `name = [value]` (value: a TOML array's
 * inside, e.g. "\"cprof/enable\"") added to its [features]: after the
 * feature `after` when there is one (the line cargo add --optional wrote),
 * else after the [features] header, else in a new [features] table at the
 * end. malloc'd; NULL + err when the text does not read as TOML.
 */
char *manifest_add_feature(const char *t, size_t n, const char *after, const char *name,
                           const char *value, size_t *out_n, char *err, size_t errlen);

#endif
