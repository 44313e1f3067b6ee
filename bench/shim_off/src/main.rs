//! Times N calls of an annotated function against N calls of the same
//! function without #[profile] (best of several rounds, alternating).
//! Built without `cprof/enable` the two must run at the same speed: the
//! attribute leaves nothing. Built with it, the difference is the cost of
//! one measured call. Exits 1 if the off build is more than 10% apart.
//!
//! usage: shim_off [CALLS [ROUNDS]]   (default 100000000 7)

use cprof::profile;
use std::hint::black_box;
use std::time::Instant;

#[profile]
#[inline(never)]
fn annotated(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(7) ^ x
}

#[inline(never)]
fn plain(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(7) ^ x
}

fn time(calls: u64, f: fn(u64) -> u64) -> f64 {
    let start = Instant::now();
    let mut acc = 0u64;
    for i in 0..calls {
        acc = acc.wrapping_add(f(black_box(i)));
    }
    black_box(acc);
    start.elapsed().as_nanos() as f64 / calls as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num = |i: usize, d: u64| -> u64 {
        args.get(i).map_or(d, |a| {
            a.parse().unwrap_or_else(|_| {
                eprintln!("shim_off: argument {i} ({a:?}): expected a positive number");
                std::process::exit(2)
            })
        })
    };
    let (calls, rounds) = (num(1, 100_000_000), num(2, 7).max(1));
    let (mut best_a, mut best_p) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        best_a = best_a.min(time(calls, black_box(annotated as fn(u64) -> u64)));
        best_p = best_p.min(time(calls, black_box(plain as fn(u64) -> u64)));
    }
    let on = cprof::enabled();
    let mode = if on { "on " } else { "off" };
    println!(
        "shim {mode}: annotated {best_a:.3} ns/call, plain {best_p:.3} ns/call, ratio {:.3}, {} ({calls} calls, best of {rounds})",
        best_a / best_p,
        if annotated as fn(u64) -> u64 as *const () == plain as fn(u64) -> u64 as *const () { "same code (merged by the compiler)" } else { "separate functions" }
    );
    if !on && (best_a / best_p > 1.10 || best_p / best_a > 1.10) {
        eprintln!("shim_off: annotated and plain calls differ by more than 10% with profiling off");
        std::process::exit(1);
    }
}
