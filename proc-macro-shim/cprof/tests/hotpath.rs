//! The Rust inline fast path (src/hot.rs): builds `fixtures/hotpath` linked
//! with `--wrap` for the runtime's whole-way entry points, so the fixture
//! counts every call that leaves the fast path. With `mid` and `leaf`
//! throttled, only timed calls (and each site's first) may go the whole way;
//! the ~70000 untimed ones must not, and every call is still counted.

mod support;

#[test]
fn untimed_calls_stay_in_the_callers_code() {
    let dir = support::shim_dir().join("fixtures/hotpath");
    let wrap = "-C link-arg=-Wl,--wrap=cprof_enter_full,--wrap=cprof_exit_full";
    let exe = support::cargo_build(&dir, "hotpath", "hotpath", &["--features", "cprof/enable"], &[("CPROF_LIB_DIR", None), ("RUSTFLAGS", Some(wrap))]);
    let out_dir = support::fresh_dir("hotpath-out");
    let out = support::run(&exe, &[
        ("CPROF_EVENTS", "none"),
        ("CPROF_OUTPUT", out_dir.to_str().unwrap()),
        ("CPROF_THROTTLE", "below=1s"), // throttled on any machine, also unoptimized
        ("CPROF_DUMP_FORMAT", "1"),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |key: &str| -> i64 {
        let w: Vec<&str> = stdout.split_whitespace().collect();
        let i = w.iter().position(|x| *x == key).unwrap_or_else(|| panic!("no {key} in {stdout:?}"));
        w[i + 1].parse().unwrap()
    };
    let (enters, exits) = (field("full_enters"), field("full_exits"));
    let dump = support::read_dump(&out_dir);
    let regions = dump.get("threads").arr()[0].get("regions").arr();
    let calls = |name: &str| regions.iter().find(|r| r.get("name").str() == name).unwrap_or_else(|| panic!("no {name}")).get("calls").int();
    assert_eq!(calls("hotpath::leaf"), 60000);
    assert_eq!(calls("hotpath::mid"), 20000);
    assert_eq!(calls("hotpath::outer"), 1);
    let timed: i64 = regions.iter().map(|r| if r.has("timed") { r.get("timed").int() } else { r.get("pairs").int() }).sum();
    assert!(timed < 20000, "timed {timed} of 80001: mid and leaf throttled");
    assert!(enters >= timed && enters <= timed + 3, "{enters} whole-way enters, {timed} timed calls");
    assert!(exits <= timed + 3, "{exits} whole-way exits, {timed} timed calls");
}
