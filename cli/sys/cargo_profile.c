/*
 * cargo_profile.c: does the crate define a cargo profile? We build under a
 * profile of our own that inherits it (`--config profile.cprof-NAME.inherits`),
 * and for a NAME nobody defined cargo would then complain about our profile
 * instead of saying its own "profile `NAME` is not defined": such a NAME is
 * passed on to cargo as it is. Cargo has no
 * stable query for profiles, so we look where they can be written: the
 * workspace root's Cargo.toml, .cargo/config(.toml) from the folder cargo
 * runs in upward (cargo reads config from there, not from --manifest-path's
 * folder) and in CARGO_HOME, and CARGO_PROFILE_<NAME>_* variables, reading
 * the files with the one TOML scanner (toml.c). (`cargo config get` would
 * tell, but is nightly-only; `cargo metadata` does not show profiles.)
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/cargo_profile.h"
#include "sys/toml.h"

extern char **environ;

/* The whole file, NUL-terminated (malloc'd), or NULL. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (cap - *n < 4096) {
            char *q = realloc(buf, cap = cap ? cap * 2 : 8192);
            if (!q)
                break;
            buf = q;
        }
        size_t got = fread(buf + *n, 1, cap - *n - 1, f);
        *n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[*n] = 0;
    return buf;
}

/* 1 if the text defines profile NAME: a [profile.NAME] header (quoted or
 * spaced as TOML allows), or a setting of its own anywhere
 * (profile.NAME.x = ... at the top, NAME.x = ... under [profile], x = ...
 * under [profile.NAME]). Its per-package or build-override sub-tables
 * alone do not: cargo still wants the profile itself. */
int cargo_profile_in_toml(const char *text, size_t len, const char *name)
{
    toml_scan s;
    toml_item it;
    const char *want[] = { "profile", name };
    toml_scan_init(&s, text, len);
    int r;
    while ((r = toml_next(&s, &it)) == 1) {
        if (!toml_path_starts(&it, 2, want))
            continue;
        if (it.kind == TOML_TABLE && it.npath == 2)
            return 1;
        if (it.kind == TOML_KEYVAL && it.npath >= 3 && strcmp(it.path[2], "package") != 0 &&
            strcmp(it.path[2], "build-override") != 0)
            return 1;
    }
    return 0;   /* the end, or text cargo would refuse to read as well */
}

static int file_defines(const char *path, const char *name)
{
    size_t n;
    char *text = slurp(path, &n);
    if (!text)
        return 0;
    int found = cargo_profile_in_toml(text, n, name);
    free(text);
    return found;
}

static int config_dir_defines(const char *dir, const char *name)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/config.toml", dir);
    if (file_defines(p, name))
        return 1;
    snprintf(p, sizeof p, "%s/config", dir);
    return file_defines(p, name);
}

static int env_defines(const char *name)
{
    char prefix[300];
    int n = snprintf(prefix, sizeof prefix, "CARGO_PROFILE_");
    for (const char *c = name; *c && n < (int)sizeof prefix - 2; c++)
        prefix[n++] = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
    prefix[n++] = '_';
    prefix[n] = 0;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, prefix, (size_t)n) == 0)
            return 1;
    return 0;
}

int cargo_profile_defined(const char *workspace_root, const char *config_from, const char *name)
{
    static const char *const builtin[] = { "dev", "release", "test", "bench" };
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (strcmp(name, builtin[i]) == 0)
            return 1;
    if (env_defines(name))
        return 1;
    char p[PATH_MAX];
    if (workspace_root) {
        snprintf(p, sizeof p, "%s/Cargo.toml", workspace_root);
        if (file_defines(p, name))
            return 1;
    }
    if (config_from) {
        snprintf(p, sizeof p, "%s", config_from);
        for (;;) {
            char d[PATH_MAX + 8];
            snprintf(d, sizeof d, "%s/.cargo", p);
            if (config_dir_defines(d, name))
                return 1;
            char *slash = strrchr(p, '/');
            if (!slash || slash == p)
                break;
            *slash = 0;
        }
    }
    const char *home = getenv("CARGO_HOME");
    if (home && *home)
        return config_dir_defines(home, name);
    home = getenv("HOME");
    if (home && *home) {
        snprintf(p, sizeof p, "%s/.cargo", home);
        return config_dir_defines(p, name);
    }
    return 0;
}
