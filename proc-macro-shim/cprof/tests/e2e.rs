//! End to end: builds the fixture crate `fixtures/shapes` with `cprof/enable`
//! (libcprof compiled from this tree by build.rs), runs it counting the exact
//! per-thread SDE event `sde:::SHAPES::WORK`, and checks the figures of every
//! shape #[profile] handles in its dump. Times are only checked in relation
//! (inclusive >= exclusive), never absolutely.

mod support;

use support::json::Json;
use std::sync::OnceLock;

const EVENT: &str = "sde:::SHAPES::WORK";
/// The expansion must not make user code warn.
const DENY_WARNINGS: (&str, Option<&str>) = ("RUSTFLAGS", Some("-D warnings"));
/// The checks read cprof-1's region records (cprof-2 leaves them to the reader).
const V1: (&str, &str) = ("CPROF_DUMP_FORMAT", "1");

struct Run {
    dump: Json,
    stdout: String,
    out_dir: std::path::PathBuf,
}

fn shapes() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = support::shim_dir().join("fixtures/shapes");
        let exe = support::cargo_build(&dir, "shapes", "shapes", &["--features", "cprof/enable"], &[("CPROF_LIB_DIR", None), DENY_WARNINGS]);
        let out_dir = support::fresh_dir("shapes-out");
        let out = support::run(&exe, &[("CPROF_EVENTS", EVENT), ("CPROF_OUTPUT", out_dir.to_str().unwrap()), V1]);
        Run { dump: support::read_dump(&out_dir), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), out_dir }
    })
}

fn threads() -> &'static [Json] {
    shapes().dump.get("threads").arr()
}

fn find<'a>(thread: &'a Json, name: &str) -> Option<&'a Json> {
    let hits: Vec<&Json> = thread.get("regions").arr().iter().filter(|r| r.get("name").str() == name).collect();
    assert!(hits.len() <= 1, "region {name:?} appears {} times in one thread", hits.len());
    hits.first().copied()
}

fn region<'a>(thread: &'a Json, name: &str) -> &'a Json {
    find(thread, name).unwrap_or_else(|| {
        let names: Vec<&str> = thread.get("regions").arr().iter().map(|r| r.get("name").str()).collect();
        panic!("no region {name:?} in thread; regions: {names:?}")
    })
}

/// The thread that ran the sequential shapes (the only one with `outer`).
fn main_thread() -> &'static Json {
    let t: Vec<&Json> = threads().iter().filter(|t| find(t, "shapes::outer").is_some()).collect();
    assert_eq!(t.len(), 1);
    t[0]
}

fn work(r: &Json) -> (i64, i64) {
    let c = r.get("counters").get(EVENT);
    (c.get("incl").int(), c.get("excl").int())
}

/// Exact calls and counts (inclusive, exclusive), and sane times.
fn check(thread: &Json, name: &str, calls: i64, incl: i64, excl: i64) {
    let r = region(thread, name);
    assert_eq!(r.get("calls").int(), calls, "{name}: calls");
    assert_eq!(work(r), (incl, excl), "{name}: {EVENT} (incl, excl)");
    let (i, e) = (r.get("incl_ns").int(), r.get("excl_ns").int());
    assert!(i >= e && e >= 0, "{name}: incl_ns {i} < excl_ns {e}");
    assert!(r.get("max_ns").int() >= r.get("min_ns").int(), "{name}: max_ns < min_ns");
}

/// Tree nodes of `region` in `thread`.
fn nodes<'a>(thread: &'a Json, region: &str) -> Vec<&'a Json> {
    thread.get("tree").arr().iter().filter(|n| n.get("region").str() == region).collect()
}

fn node_by_id(thread: &Json, id: i64) -> &Json {
    thread.get("tree").arr().iter().find(|n| n.get("node").int() == id).expect("parent node")
}

fn parent_region(thread: &Json, node: &Json) -> Option<String> {
    match node.get("parent").int() {
        0 => None,
        p => Some(node_by_id(thread, p).get("region").str().to_string()),
    }
}

/// The line of the first `needle` in the fixture's main.rs.
fn line_of(needle: &str) -> i64 {
    let src = std::fs::read_to_string(support::shim_dir().join("fixtures/shapes/src/main.rs")).unwrap();
    1 + src.lines().position(|l| l.contains(needle)).expect("needle in main.rs") as i64
}

#[test]
fn event_is_counted_and_nothing_is_unbalanced() {
    let d = &shapes().dump;
    assert_eq!(d.get("format").str(), "cprof-1");
    let events = d.get("events").arr();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].get("name").str(), EVENT);
    assert!(events[0].get("active").bool(), "{EVENT} not active: {:?}", events[0]);
    let errors = d.get("errors");
    for k in ["unbalanced", "open", "dropped"] {
        assert_eq!(errors.get(k).int(), 0, "errors.{k}");
    }
    assert_eq!(threads().len(), 3, "main and two workers");
}

#[test]
fn nested_calls() {
    let t = main_thread();
    check(t, "shapes::outer", 1, 120, 100);
    check(t, "shapes::inner", 2, 20, 20);
    let inner = nodes(t, "shapes::inner");
    assert_eq!(inner.len(), 1);
    assert_eq!(parent_region(t, inner[0]).as_deref(), Some("shapes::outer"));
    assert_eq!(inner[0].get("calls").int(), 2);
    assert_eq!(region(t, "shapes::outer").get("child_calls").int(), 2);
}

#[test]
fn recursion_counts_every_call_and_the_time_once() {
    let t = main_thread();
    check(t, "shapes::fact", 5, 5, 5);
    assert_eq!(region(t, "shapes::fact").get("incl_calls").int(), 1);
    let chain = nodes(t, "shapes::fact");
    assert_eq!(chain.len(), 5, "one tree node per recursion depth");
    let roots: Vec<_> = chain.iter().filter(|n| parent_region(t, n).is_none()).collect();
    assert_eq!(roots.len(), 1);
    assert_eq!(work(roots[0]), (5, 1));
}

#[test]
fn question_mark_and_early_return_exit() {
    let t = main_thread();
    check(t, "shapes::try_step", 2, 14, 10);
    check(t, "shapes::may_fail", 2, 4, 4);
    check(t, "shapes::early", 2, 12, 12);
}

#[test]
fn unwinding_panic_exits() {
    let t = main_thread();
    check(t, "shapes::boom", 1, 7, 7);
    check(t, "shapes::catcher", 1, 9, 2);
    let boom = nodes(t, "shapes::boom");
    assert_eq!(parent_region(t, boom[0]).as_deref(), Some("shapes::catcher"));
}

#[test]
fn generic_function_is_one_region() {
    let t = main_thread();
    check(t, "shapes::generic", 2, 7, 7);
    assert_eq!(nodes(t, "shapes::generic").len(), 1);
}

#[test]
fn qualifiers_attributes_impl_trait_where_lifetimes() {
    let t = main_thread();
    check(t, "shapes::raw_work", 1, 20, 20);
    check(t, "shapes::c_abi", 1, 30, 30);
    check(t, "shapes::with_attrs", 1, 40, 40);
    check(t, "shapes::impl_args", 1, 6, 6);
    check(t, "shapes::with_where", 1, 60, 60);
    check(t, "shapes::longest", 1, 50, 50);
    check(t, "custom name", 1, 17, 17);
    check(t, "shapes::from_macro", 1, 9, 9);
    check(t, "macro name", 1, 1, 1);
    check(t, "shapes::Arr::same", 1, 3, 3);
    check(t, "shapes::tail_temp", 1, 102, 102);
    check(t, "shapes::Made::first", 1, 2, 2);
    check(t, "shapes::Made::second", 2, 6, 6);
    check(t, "shapes::Made::third", 3, 12, 12);
}

#[test]
fn methods_are_named_type_method() {
    let t = main_thread();
    check(t, "shapes::Acc::push_work", 3, 15, 15);
    check(t, "shapes::Counter::new", 1, 2, 2);
    check(t, "shapes::Counter::bump", 2, 12, 12);
    check(t, "counter_reset", 1, 8, 8);
    check(t, "shapes::Area::doubled", 1, 20, 9);
    check(t, "shapes::Square::area", 1, 11, 11);
    check(t, "shapes::Shape::describe", 1, 13, 13);
    assert!(find(t, "shapes::Counter::limit").is_none(), "a const fn in a profiled impl stays unprofiled");
    assert!(find(t, "shapes::Counter::reset").is_none(), "name = ... on a method of a profiled impl wins");
    let area = nodes(t, "shapes::Square::area");
    assert_eq!(parent_region(t, area[0]).as_deref(), Some("shapes::Area::doubled"));
}

#[test]
fn one_type_name_in_two_modules_is_two_regions() {
    let t = main_thread();
    check(t, "shapes::a::Parser::parse", 1, 31, 31);
    check(t, "shapes::b::Parser::parse", 1, 32, 32);
    assert!(find(t, "Parser::parse").is_none(), "a name without its module");
}

#[test]
fn an_associated_fn_annotated_alone_is_named_by_its_type() {
    let t = main_thread();
    check(t, "shapes::Alone::stat", 1, 36, 36);
    assert!(find(t, "shapes::stat").is_none(), "named as a free function");
    // written in another module than its type
    check(t, "shapes::a::Parser::fresh", 1, 33, 33);
}

#[test]
fn impls_in_another_module_and_self_types_without_a_path() {
    let t = main_thread();
    check(t, "shapes::b::Parser::reset", 1, 34, 34);
    check(t, "shapes::c::<&[u8]>::area", 1, 35, 35);
}

/// Every region not named with `name = ...`, `scope!` or `region!` has its
/// full name: the crate first.
#[test]
fn every_region_has_a_full_name() {
    let given = ["custom name", "macro name", "counter_reset", "inner scope", "block region"];
    for t in threads() {
        for r in t.get("regions").arr() {
            let name = r.get("name").str();
            assert!(name.starts_with("shapes::") || given.contains(&name), "{name:?}");
        }
    }
}

#[test]
fn async_fn_is_measured_per_poll() {
    let t = main_thread();
    // Two futures whose polls interleave on one thread: each poll is its own
    // enter/exit, and a call counts once, when its future completes.
    check(t, "shapes::task", 2, 32, 22);
    check(t, "shapes::fetch", 2, 10, 10);
    check(t, "shapes::run_async", 1, 33, 1);
    check(t, "shapes::Acc::drain", 1, 8, 8);
    check(t, "shapes::Counter::tick", 1, 7, 7);
    check(t, "shapes::raw_async", 1, 24, 24);
    check(t, "shapes::display_len", 1, 3, 3);
    check(t, "shapes::boxed_err", 2, 2, 2);
    let fetch = nodes(t, "shapes::fetch");
    assert_eq!(fetch.len(), 1);
    assert_eq!(parent_region(t, fetch[0]).as_deref(), Some("shapes::task"));
    let task = nodes(t, "shapes::task");
    assert_eq!(task.len(), 1, "no task polled inside the other's poll");
    assert_eq!(parent_region(t, task[0]).as_deref(), Some("shapes::run_async"));
    assert_eq!(task[0].get("calls").int(), 2);
}

#[test]
fn scope_and_region_blocks() {
    let t = main_thread();
    check(t, "shapes::scoped", 1, 23, 2);
    check(t, "inner scope", 1, 21, 21);
    check(t, "block region", 1, 23, 23);
    assert_eq!(parent_region(t, nodes(t, "inner scope")[0]).as_deref(), Some("shapes::scoped"));
}

#[test]
fn threads_keep_their_own_figures() {
    let main = main_thread();
    assert!(find(main, "shapes::worker").is_none() && find(main, "shapes::leaf").is_none());
    let mut seen = Vec::new();
    for t in threads().iter().filter(|t| find(t, "shapes::worker").is_some()) {
        let (incl, _) = work(region(t, "shapes::worker"));
        let k = (incl - 6) / 300;
        assert!(k == 1 || k == 2, "worker incl {incl}");
        check(t, "shapes::worker", 1, 300 * k + 6, 1);
        check(t, "shapes::leaf", 3, 300 * k, 300 * k);
        check(t, "shapes::Acc::push_work", 1, 5, 5);
        seen.push(k);
    }
    seen.sort();
    assert_eq!(seen, [1, 2]);
}

#[test]
fn sites_carry_file_and_line() {
    let t = main_thread();
    for (name, needle) in [("shapes::outer", "fn outer()"), ("shapes::Acc::push_work", "fn push_work("), ("shapes::Counter::bump", "fn bump(")] {
        let r = region(t, name);
        assert_eq!(r.get("file").str(), "src/main.rs", "{name}");
        assert_eq!(r.get("line").int(), line_of(needle), "{name}");
    }
}

#[test]
fn dump_api_writes_into_cprof_output() {
    let run = shapes();
    let pid = run.dump.get("pid").int();
    // named by host and pid: the host as a file name holds it (docs/dump-format.md)
    let host: String = run.dump.get("host").str().bytes().take(64)
        .map(|b| if b.is_ascii_alphanumeric() || b"._-".contains(&b) { b as char } else { '_' })
        .collect();
    let host = if host.is_empty() { "unknown".to_string() } else { host };
    let expected = run.out_dir.join(format!("cprof-{host}-{pid}.json"));
    assert!(run.stdout.contains(&format!("dump: {}\n", expected.display())), "stdout: {}", run.stdout);
    assert!(run.stdout.contains("enabled: true"), "stdout: {}", run.stdout);
}

#[test]
fn installed_library_from_cprof_lib_dir() {
    // make passes its build/ (holding libcprof.a); alone, use the one
    // build.rs compiled for the in-tree run.
    let lib = match std::env::var_os("CPROF_TEST_LIB_DIR") {
        Some(d) => std::path::PathBuf::from(d).join("libcprof.a"),
        None => {
            shapes();
            support::built_runtimes("shapes").pop().expect("libcprof.a from the in-tree build")
        }
    };
    let installed = support::fresh_dir("installed-lib");
    std::fs::copy(&lib, installed.join("libcprof.a")).unwrap_or_else(|e| panic!("{}: {e}", lib.display()));
    let dir = support::shim_dir().join("fixtures/shapes");
    let exe = support::cargo_build(
        &dir,
        "shapes",
        "shapes-installed",
        &["--features", "cprof/enable"],
        &[("CPROF_LIB_DIR", Some(installed.to_str().unwrap()))],
    );
    assert!(support::built_runtimes("shapes-installed").is_empty(), "build.rs compiled the runtime despite CPROF_LIB_DIR");
    let out_dir = support::fresh_dir("shapes-installed-out");
    support::run(&exe, &[("CPROF_EVENTS", EVENT), ("CPROF_OUTPUT", out_dir.to_str().unwrap()), V1]);
    let dump = support::read_dump(&out_dir);
    let main = dump.get("threads").arr().iter().find(|t| find(t, "shapes::outer").is_some()).expect("main thread");
    check(main, "shapes::outer", 1, 120, 100);
    check(main, "shapes::Acc::drain", 1, 8, 8);
}

#[test]
fn cprof_lib_dir_without_the_library_is_a_clear_error() {
    let empty = support::fresh_dir("no-lib");
    let dir = support::shim_dir().join("fixtures/shapes");
    let out = support::cargo_build_output(&dir, "shapes-nolib", &["--features", "cprof/enable"], &[("CPROF_LIB_DIR", Some(empty.to_str().unwrap()))]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let want = format!("CPROF_LIB_DIR={}: no libcprof.a there", empty.display());
    assert!(err.contains(&want), "stderr lacks {want:?}:\n{err}");
}

#[test]
fn off_build_of_every_shape_runs_and_writes_nothing() {
    let dir = support::shim_dir().join("fixtures/shapes");
    let exe = support::cargo_build(&dir, "shapes", "shapes-off", &[], &[DENY_WARNINGS]);
    let out_dir = support::fresh_dir("shapes-off-out");
    let out = support::run(&exe, &[("CPROF_EVENTS", EVENT), ("CPROF_OUTPUT", out_dir.to_str().unwrap())]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "enabled: false\n");
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 0, "an off build wrote into CPROF_OUTPUT");
}

#[test]
fn json_reader_is_strict() {
    let v = support::json::parse(r#"{"a": [1, -2, 3.5e0], "b": {"c": "x\"y\u0041"}, "d": true, "e": null}"#).unwrap();
    assert_eq!(v.get("a").arr()[1].int(), -2);
    assert_eq!(v.get("b").get("c").str(), "x\"yA");
    assert!(v.get("d").bool());
    for bad in [r#"{"a": 1,}"#, r#"{"a" 1}"#, "[1 2]", r#"{"a": 1} x"#, r#"{"a": "#, r#"{"a":1,"a":2}"#] {
        assert!(support::json::parse(bad).is_err(), "accepted {bad}");
    }
}

/// The warning lines of a build of fixtures/lints, summary lines left out.
fn lint_warnings(target: &str, args: &[&str]) -> Vec<String> {
    let dir = support::shim_dir().join("fixtures/lints");
    let out = support::cargo_build_output(&dir, target, args, &[("RUSTFLAGS", None)]);
    assert!(out.status.success(), "{}", support::show("cargo build of fixtures/lints", &out));
    let mut w: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("warning:") && !l.contains("generated"))
        .map(String::from)
        .collect();
    w.sort();
    w
}

#[test]
fn lints_see_the_same_function_on_and_off() {
    let off = lint_warnings("lints-off", &[]);
    let on = lint_warnings("lints-on", &["--features", "cprof/enable"]);
    assert_eq!(off, vec!["warning: function `never_called` is never used".to_string()]);
    assert_eq!(on, off, "profiling changed what rustc reports");
}
