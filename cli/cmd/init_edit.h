/*
 * init_edit.h: the touches `init` gives files itself: the manifest after
 * `cargo add` wrote it (the user's CRLF line ends back, since cargo writes
 * LF; for --optional the crate's own feature that turns profiling on, since
 * cargo add has no way to add a feature), and for --alloc the counting
 * global allocator in a binary's main file.
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

/*
 * 1 if the Rust source t declares a #[global_allocator] (an attribute line,
 * not a comment); `how` then gets the same static wrapped in cprof::Alloc
 * ("static A: cprof::Alloc<T> = cprof::Alloc::new(E);") when its
 * declaration reads plainly, else "".
 */
int rust_global_allocator(const char *t, size_t n, char *how, size_t howlen);
/* The line that the allocator static of --alloc is recognised by. */
#define INIT_ALLOC_STATIC "static CPROF_ALLOC: cprof::Alloc<std::alloc::System> = cprof::Alloc::new(std::alloc::System);"
/*
 * The source with the counting allocator added after its leading inner
 * attributes and doc comments (#![...], //!), gated on the optional
 * dependency's feature when `optional`. malloc'd, NUL-terminated.
 */
char *rust_add_allocator(const char *t, size_t n, int optional, size_t *out_n);

#endif
