//! ns per allocation (a 64-byte alloc and its dealloc) through
//! `cprof::Alloc<System>` against `System` itself, called the same way in
//! the same process, alternating, best of ROUNDS (the machine is shared:
//! noise only ever adds). With cprof/enable the counted calls run inside a
//! region, with the five built-in counters asked for.
//! usage: alloc_bench [N]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::time::Instant;

#[global_allocator]
static ALLOC: cprof::Alloc<System> = cprof::Alloc::new(System);

const ROUNDS: usize = 15;

#[inline(never)]
fn pairs<A: GlobalAlloc>(a: &A, n: usize) -> f64 {
    let layout = Layout::from_size_align(64, 8).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        unsafe {
            let p = black_box(a.alloc(layout));
            a.dealloc(p, layout);
        }
    }
    t.elapsed().as_nanos() as f64 / n as f64
}

#[cprof::profile]
fn measure(n: usize) -> (f64, f64) {
    let (mut plain, mut counted) = (f64::MAX, f64::MAX);
    pairs(&System, n);   // warm: the first round pays for the heap's first pages
    for _ in 0..ROUNDS {
        plain = plain.min(pairs(&System, n));
        counted = counted.min(pairs(&ALLOC, n));
    }
    (plain, counted)
}

fn main() {
    let n = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2_000_000);
    let (plain, counted) = measure(n);
    let mode = if cprof::enabled() { "counting on (cprof/enable)" } else { "off (no cprof/enable)" };
    println!("alloc + free of 64 bytes, ns, {mode}: System {plain:.2}, cprof::Alloc<System> {counted:.2}, \
              added {:.2}   goal <= 3", counted - plain);
}
