//! The RAII guard: enters a region when made, exits it when dropped, so the
//! exit happens on return, `?`, and unwinding alike.

use crate::hot;
use crate::site::Site;
use std::marker::PhantomData;

/// Not `Send`: a region is exited on the thread that entered it.
pub struct Guard {
    site: &'static Site,
    entered: hot::Entered,
    _thread_bound: PhantomData<*const ()>,
}

impl Guard {
    #[inline(always)]
    pub fn enter(site: &'static Site) -> Guard {
        let entered = hot::enter(site);
        Guard { site, entered, _thread_bound: PhantomData }
    }

    /// For a site named on first entry (see `Site::ensure_named`).
    #[inline(always)]
    pub fn enter_lazy<F>(site: &'static Site, nested_fn: F, module: &'static str) -> Guard {
        let entered = hot::enter_lazy(site, nested_fn, module);
        Guard { site, entered, _thread_bound: PhantomData }
    }
}

impl Drop for Guard {
    #[inline(always)]
    fn drop(&mut self) {
        hot::exit_entered(self.site, self.entered);
    }
}
