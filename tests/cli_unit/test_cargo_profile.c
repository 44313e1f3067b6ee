/* test_cargo_profile.c: where a custom cargo profile counts as defined. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/cargo_profile.h"

static char root[] = "/tmp/cprof-profile-XXXXXX";

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    cr_assert(f, "%s", p);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    cr_assert(mkdtemp(root));
    char d[512];
    snprintf(d, sizeof d, "%s/ws", root);
    mkdir(d, 0700);
    snprintf(d, sizeof d, "%s/ws/.cargo", root);
    mkdir(d, 0700);
    setenv("CARGO_HOME", root, 1);   /* no user config leaks in */
    unsetenv("CARGO_PROFILE_PROFILING_INHERITS");
}

static void teardown(void)
{
    char p[512];
    const char *files[] = { "ws/Cargo.toml", "ws/.cargo/config.toml", "config.toml" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", root, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/ws/.cargo", root);
    rmdir(p);
    snprintf(p, sizeof p, "%s/ws", root);
    rmdir(p);
    rmdir(root);
}

TestSuite(cargo_profile, .init = setup, .fini = teardown);

static const char *ws(void)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/ws", root);
    return p;
}

Test(cargo_profile, builtins_always)
{
    const char *names[] = { "dev", "release", "test", "bench" };
    for (int i = 0; i < 4; i++)
        cr_assert(cargo_profile_defined(ws(), ws(), names[i]), "%s", names[i]);
    cr_assert_not(cargo_profile_defined(ws(), ws(), "profiling"));
    cr_assert_not(cargo_profile_defined(NULL, NULL, "profiling"));
}

Test(cargo_profile, manifest_tables)
{
    put("ws/Cargo.toml", "[package]\nname = \"x\"\n# [profile.profiling]\n[profile.profiling-x]\n");
    cr_assert_not(cargo_profile_defined(ws(), ws(), "profiling"), "a comment or a longer name is not it");
    put("ws/Cargo.toml", "[package]\n  [ profile . \"profiling\" ]  \ninherits = \"release\"\n");
    cr_assert(cargo_profile_defined(ws(), ws(), "profiling"));
    put("ws/Cargo.toml", "[profile.profiling.package.foo]\nopt-level = 1\n");
    cr_assert_not(cargo_profile_defined(ws(), ws(), "profiling"), "a sub-table alone does not define it");
}

Test(cargo_profile, config_files_and_environment)
{
    put("ws/.cargo/config.toml", "profile.profiling.inherits = \"release\"\n");
    cr_assert(cargo_profile_defined(ws(), ws(), "profiling"), "dotted key in the config where cargo runs");
    cr_assert_not(cargo_profile_defined(ws(), "/", "profiling"),
                  "cargo run elsewhere (--manifest-path) does not read the crate's .cargo/");
    put("ws/.cargo/config.toml", "\n");
    put("config.toml", "[profile.profiling]\ninherits = \"dev\"\n");
    cr_assert(cargo_profile_defined(ws(), ws(), "profiling"), "CARGO_HOME's config");
    put("config.toml", "\n");
    cr_assert_not(cargo_profile_defined(ws(), ws(), "profiling"));
    setenv("CARGO_PROFILE_PROFILING_INHERITS", "release", 1);
    cr_assert(cargo_profile_defined(ws(), ws(), "profiling"), "environment");
}

/* the manifest read as TOML: strings and comments hide nothing, dotted keys count */
Test(cargo_profile, manifest_read_as_toml)
{
    put("ws/Cargo.toml", "[package]\nname = \"x\"\ndescription = '''\n[profile.profiling]\n'''\n");
    cr_assert_not(cargo_profile_defined(ws(), ws(), "profiling"), "a header inside a multi-line string");
    put("ws/Cargo.toml", "[package]\nname = \"x\"\n[profile]\nprofiling.inherits = \"release\"\n");
    cr_assert(cargo_profile_defined(ws(), ws(), "profiling"), "a dotted key under [profile]");
    put("ws/Cargo.toml", "[package]\nname = \"x\"\nprofile.profiling.inherits = \"release\"\n");
    cr_assert_not(cargo_profile_defined(ws(), ws(), "profiling"), "package.profile... is not a profile");
}
