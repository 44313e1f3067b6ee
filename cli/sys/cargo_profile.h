/* cargo_profile.h: whether a cargo profile is defined (see cargo_profile.c). */
#ifndef CARGO_PROFILE_H
#define CARGO_PROFILE_H

/* 1 if `name` is a built-in profile or written in the workspace's manifest,
 * the cargo config files cargo reads when run in `config_from` (its working
 * folder), or the environment; 0 if cargo would call it undefined. */
int cargo_profile_defined(const char *workspace_root, const char *config_from, const char *name);

#endif
