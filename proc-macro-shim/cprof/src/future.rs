//! `async fn` regions: the body's future is wrapped so that each poll is
//! entered and exited on the polling thread's stack, and nothing stays open
//! across an `.await`. A poll that leaves the future pending adds its time
//! without counting a call; the poll that completes it counts the call.

use crate::ffi;
use crate::site::Site;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub struct Instrumented<F> {
    site: &'static Site,
    fut: F,
}

impl<F> Instrumented<F> {
    #[inline(always)]
    pub fn new(site: &'static Site, fut: F) -> Self {
        Instrumented { site, fut }
    }

    /// For a site named on first entry (see `Site::ensure_named`).
    #[inline(always)]
    pub fn new_lazy<N>(site: &'static Site, nested_fn: N, module: &'static str, fut: F) -> Self {
        site.ensure_named(nested_fn, module);
        Instrumented { site, fut }
    }
}

/// Exits the poll's region; also when the poll unwinds (the future is then
/// finished, so its call counts).
struct PollGuard {
    site: &'static Site,
    pending: bool,
}

impl Drop for PollGuard {
    #[inline(always)]
    fn drop(&mut self) {
        if self.pending {
            unsafe { ffi::cprof_exit_pending(self.site.raw()) }
        } else {
            crate::hot::exit(self.site)
        }
    }
}

impl<F: Future> Future for Instrumented<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `fut` is pinned structurally: it is never moved out of
        // `self`, and `Instrumented` has no Drop of its own.
        let this = unsafe { self.get_unchecked_mut() };
        let fut = unsafe { Pin::new_unchecked(&mut this.fut) };
        let _ = crate::hot::enter(this.site); // the poll guard exits reading cur
        let mut guard = PollGuard { site: this.site, pending: false };
        let polled = fut.poll(cx);
        guard.pending = polled.is_pending();
        polled
    }
}

/// Gives an async block the return type of the `async fn` it came from, for
/// the inference that `?` and `.into()` in its body may need.
#[inline(always)]
pub fn ret_hint<R, F: Future<Output = R>>(fut: F) -> F {
    fut
}
