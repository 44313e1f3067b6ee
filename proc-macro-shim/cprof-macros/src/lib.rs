//! `#[profile]`: marks a function (or every function of an impl block or
//! trait) as a region of cargo-profiler. Use it through the `cprof` crate,
//! which re-exports it and holds the runtime side.
//!
//! Without the `enable` feature (turned on by `cprof/enable`) the attribute
//! checks what it is applied to and hands the item back untouched, so a build
//! without profiling contains nothing of it.

use proc_macro::{Delimiter, Literal, TokenStream, TokenTree};

mod args;
mod error;
mod expand;
mod item;
mod tokens;

/// See the `cprof` crate for the documentation.
#[proc_macro_attribute]
pub fn profile(args: TokenStream, item: TokenStream) -> TokenStream {
    run(args, item, cfg!(feature = "enable"))
}

fn run(args: TokenStream, item: TokenStream, enabled: bool) -> TokenStream {
    let original = item.clone();
    match expand::expand(args, item) {
        Ok(expanded) if enabled => expanded,
        Ok(_) => original,
        Err(e) => {
            // The item stays, so that its uses raise no second error.
            let mut out = e.into_tokens();
            out.extend(original);
            out
        }
    }
}

/// For the expansion tests: `__expand_on!([args] item)` is a string literal
/// holding what `#[profile(args)]` makes of `item` with profiling on.
#[doc(hidden)]
#[proc_macro]
pub fn __expand_on(input: TokenStream) -> TokenStream {
    expansion_string(input, true)
}

/// Like `__expand_on!`, with profiling off.
#[doc(hidden)]
#[proc_macro]
pub fn __expand_off(input: TokenStream) -> TokenStream {
    expansion_string(input, false)
}

fn expansion_string(input: TokenStream, enabled: bool) -> TokenStream {
    let mut toks = input.into_iter();
    let args = match toks.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => g.stream(),
        _ => panic!("usage: __expand_on!([attribute args] item)"),
    };
    let out = run(args, toks.collect(), enabled).to_string();
    TokenTree::Literal(Literal::string(&out)).into()
}
