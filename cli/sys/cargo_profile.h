/* cargo_profile.h: whether a cargo profile is defined (see cargo_profile.c). */
#ifndef CARGO_PROFILE_H
#define CARGO_PROFILE_H

#include <stddef.h>

/* 1 if `name` is a built-in profile or written in the workspace's manifest,
 * the cargo config files cargo reads when run in `config_from` (its working
 * folder), or the environment; 0 if cargo would call it undefined. */
int cargo_profile_defined(const char *workspace_root, const char *config_from, const char *name);
/* 1 if this TOML text (a manifest or a cargo config file) defines profile `name`. */
int cargo_profile_in_toml(const char *text, size_t len, const char *name);

#endif
