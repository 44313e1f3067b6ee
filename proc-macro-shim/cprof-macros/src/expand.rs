//! The expansion: a function gets a static site record and a guard (or, for
//! an `async fn`, a future wrapper that enters and exits around each poll);
//! an impl block or a trait gets that for each of its functions.

use crate::args::{self, Args};
use crate::error::{err, Result, SUPPORTED};
use crate::item::{self, FnItem, Item};
use crate::tokens::{self, group_of, is_ident, is_punct, outer_attrs, profile_attr_args};
use proc_macro::{Delimiter, Group, TokenStream, TokenTree};
use std::str::FromStr;

pub fn expand(args: TokenStream, item: TokenStream) -> Result<TokenStream> {
    let args = args::parse(args)?;
    match item::parse(item.into_iter().collect()) {
        Item::Fn(f) => expand_fn(f, args),
        Item::Block { toks, body } => {
            no_block_name(&args)?;
            expand_block(toks, body)
        }
        Item::Other { kind, span } => err(span, format!("#[profile] cannot be applied to {kind}: {SUPPORTED}")),
    }
}

fn no_block_name(args: &Args) -> Result<()> {
    match &args.name {
        Some((_, span)) => err(
            *span,
            "`name` names one function: on an impl block or trait, put #[profile(name = \"...\")] on the function",
        ),
        None => Ok(()),
    }
}

fn code(s: &str) -> TokenStream {
    TokenStream::from_str(s).expect("cprof-macros generated invalid tokens")
}

fn contains_impl(toks: &[TokenTree]) -> bool {
    toks.iter().any(|t| match t {
        TokenTree::Ident(i) => i.to_string() == "impl",
        TokenTree::Group(g) => contains_impl(&g.stream().into_iter().collect::<Vec<_>>()),
        _ => false,
    })
}

fn expand_fn(f: FnItem, args: Args) -> Result<TokenStream> {
    if let Some(span) = f.const_span {
        return err(
            span,
            format!("#[profile] cannot be applied to a `const fn` (it may run at compile time, where nothing is measured): {SUPPORTED}"),
        );
    }
    let Some(body) = f.body.clone() else {
        return err(f.name.span(), format!("#[profile] needs a function body, this is only a declaration: {SUPPORTED}"));
    };
    let body_span = body.span();
    let line = f.name.span().line();
    let file = "::core::concat!(::core::file!(), \"\\0\")";
    // The site record. A name given is NUL-terminated at compile time; any
    // other site is named on first entry from the path of a fn item nested
    // in the function (`krate::m::Type<_>::method::__cprof_f`: the macro
    // cannot see whether the function is free or inside an impl, nor where
    // the impl's type is defined) and module_path!().
    let (site, suffix, hint) = match &args.name {
        Some((lit, _)) => (format!("Site::new(::core::concat!({lit}, \"\\0\"), {file}, {line})"), "", ""),
        None => (format!("Site::lazy({file}, {line})"), "_lazy", ", __cprof_f, ::core::module_path!()"),
    };
    let mut stmts = code(&format!("static __CPROF_SITE: ::cprof::__private::Site = ::cprof::__private::{site};"));
    if args.name.is_none() {
        stmts.extend(code("fn __cprof_f() {}"));
    }
    let inner = if f.is_async {
        let mut fut = code("async move");
        fut.extend([TokenTree::Group(body)]);
        // `ret_hint` gives the inner async block the function's return type,
        // which `?` and `.into()` in the body may need for inference.
        let ret: Vec<TokenTree> = f.ret.clone().unwrap_or_else(|| code("()").into_iter().collect());
        if !contains_impl(&ret) {
            let mut hinted = code("::cprof::__private::ret_hint::<");
            hinted.extend(ret);
            hinted.extend(code(", _>"));
            hinted.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, fut))]);
            fut = hinted;
        }
        let mut call_args = code(&format!("&__CPROF_SITE{hint}, "));
        call_args.extend(fut);
        stmts.extend(code(&format!("::cprof::__private::Instrumented::new{suffix}")));
        stmts.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, call_args))]);
        stmts.extend(code(".await"));
        stmts
    } else {
        // The guard is a temporary of the same tail expression as the
        // body's own tail temporaries, created before them, so it is dropped
        // after them (a `let` guard is dropped before them in edition 2021,
        // charging their drops to the caller); `return`, `?` and unwinding
        // drop it too. Nothing follows the body, so a body that diverges
        // draws no `unreachable_code` warning that the plain function would not.
        stmts.extend(code(&format!("match &::cprof::__private::Guard::enter{suffix}(&__CPROF_SITE{hint})")));
        // A fresh block (the macro's span): the user's own braces, kept as
        // the arm, would draw `unused_braces` only when on.
        let mut arm = code("_ =>");
        arm.extend([TokenTree::Group(Group::new(Delimiter::Brace, body.stream()))]);
        stmts.extend([TokenTree::Group(Group::new(Delimiter::Brace, arm))]);
        stmts
    };
    let mut out: TokenStream = f.toks[..f.toks.len() - 1].iter().cloned().collect();
    // The new body keeps the original body's span, so rustc still applies
    // the function's lints (dead_code, forbid(unsafe_code), ...) as when off.
    let mut outer = Group::new(Delimiter::Brace, inner);
    outer.set_span(body_span);
    out.extend([TokenTree::Group(outer)]);
    Ok(out)
}

/// Every function with a body in an impl block or trait. A `#[profile(...)]`
/// already on one of them is taken in here (its name wins) so that it does
/// not expand a second time; `const fn`s stay as they are.
fn expand_block(toks: Vec<TokenTree>, body: Group) -> Result<TokenStream> {
    let mut new_body = TokenStream::new();
    // `$v:vis` / `$b:block` of a macro_rules! that wrote the block arrive in
    // invisible groups: opened first, or items run together (a method would
    // take the next one's body and name)
    for chunk in split_items(tokens::open_invisible(body.stream().into_iter().collect())) {
        match item::parse(chunk.clone()) {
            Item::Fn(mut f) if f.body.is_some() && f.const_span.is_none() => {
                let mut args = Args::default();
                let mut drop_at = Vec::new();
                for (at, attr) in &f.attrs {
                    if let Some(a) = profile_attr_args(attr) {
                        let parsed = args::parse(a)?;
                        if parsed.name.is_some() {
                            args = parsed;
                        }
                        drop_at.extend([*at, *at + 1]);
                    }
                }
                f.toks = f.toks.into_iter().enumerate().filter(|(i, _)| !drop_at.contains(i)).map(|(_, t)| t).collect();
                new_body.extend(expand_fn(f, args)?);
            }
            _ => new_body.extend(chunk),
        }
    }
    let mut g = Group::new(Delimiter::Brace, new_body);
    g.set_span(body.span());
    let mut out: TokenStream = toks[..toks.len() - 1].iter().cloned().collect();
    out.extend([TokenTree::Group(g)]);
    Ok(out)
}

/// Splits the inside of an impl block or trait into its items: an item ends
/// at a `;`, or at the body of a function or of a `name! { }` invocation.
fn split_items(toks: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    let mut items = Vec::new();
    let mut cur: Vec<TokenTree> = Vec::new();
    let mut it = toks.into_iter().peekable();
    // `<`/`>` depth of the current item: `-> W<{ N }>` has a brace group
    // that is a const argument, not the body.
    let mut angles = 0i32;
    while let Some(t) = it.next() {
        if cur.is_empty() && is_punct(Some(&t), '#') && is_punct(it.peek(), '!') {
            // an inner attribute `#![...]`
            let bang = it.next();
            let attr = it.next();
            items.push([Some(t), bang, attr].into_iter().flatten().collect());
            continue;
        }
        let arrow = is_punct(cur.last(), '-');
        let ends = match &t {
            TokenTree::Punct(p) if p.as_char() == '<' => {
                angles += 1;
                false
            }
            TokenTree::Punct(p) if p.as_char() == '>' && !arrow => {
                angles = (angles - 1).max(0);
                false
            }
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                angles == 0 && (is_fn_head(&cur) || is_macro_head(&cur))
            }
            _ => false,
        };
        cur.push(t);
        if ends {
            items.push(std::mem::take(&mut cur));
            angles = 0;
        }
    }
    if !cur.is_empty() {
        items.push(cur);
    }
    items
}

fn is_fn_head(toks: &[TokenTree]) -> bool {
    let (_, mut i) = outer_attrs(toks, 0);
    if is_ident(toks.get(i), "pub") {
        i += 1;
        if group_of(toks.get(i), Delimiter::Parenthesis).is_some() {
            i += 1;
        }
    }
    loop {
        match toks.get(i) {
            Some(TokenTree::Ident(id)) => match id.to_string().as_str() {
                "fn" => return true,
                "default" | "const" | "async" | "unsafe" | "extern" => i += 1,
                _ => return false,
            },
            Some(TokenTree::Literal(_)) if is_ident(toks.get(i.wrapping_sub(1)), "extern") => i += 1,
            _ => return false,
        }
    }
}

fn is_macro_head(toks: &[TokenTree]) -> bool {
    let (_, i) = outer_attrs(toks, 0);
    toks.len() >= i + 2 && is_punct(toks.last(), '!')
}
