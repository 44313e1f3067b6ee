//! Small token-walking helpers: the macro parses with `proc_macro` alone, so
//! the few shapes it needs (attributes, generics, paths) are read here.

use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

/// `macro_rules!` hands `$v:vis`, `$b:block` and `$l:literal` over wrapped in
/// invisible (`Delimiter::None`) groups. Opens those at the top level of an
/// item or of the attribute's arguments: a visibility (possibly empty), a
/// block, a literal. Other invisible groups (types, expressions) stay whole,
/// where their grouping matters.
pub fn open_invisible(toks: Vec<TokenTree>) -> Vec<TokenTree> {
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        match &t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let opens = match inner.as_slice() {
                    [] => true,
                    [TokenTree::Literal(_)] => true,
                    [TokenTree::Group(b)] => b.delimiter() == Delimiter::Brace,
                    [first, ..] => is_ident(Some(first), "pub"),
                };
                if opens {
                    out.extend(inner);
                } else {
                    out.push(t);
                }
            }
            _ => out.push(t),
        }
    }
    out
}

pub fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

pub fn is_ident(t: Option<&TokenTree>, word: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i.to_string() == word)
}

pub fn ident_of(t: Option<&TokenTree>) -> Option<Ident> {
    match t {
        Some(TokenTree::Ident(i)) => Some(i.clone()),
        _ => None,
    }
}

pub fn group_of(t: Option<&TokenTree>, d: Delimiter) -> Option<Group> {
    match t {
        Some(TokenTree::Group(g)) if g.delimiter() == d => Some(g.clone()),
        _ => None,
    }
}

/// `->` arrives as `-` followed by `>`: that `>` closes no generics.
fn is_arrow_at(toks: &[TokenTree], i: usize) -> bool {
    i > 0 && is_punct(toks.get(i - 1), '-') && is_punct(toks.get(i), '>')
}

/// Index just past the `<...>` that starts at `i` (which must be `<`).
pub fn skip_angles(toks: &[TokenTree], mut i: usize) -> usize {
    let mut depth = 0i32;
    while i < toks.len() {
        if is_punct(toks.get(i), '<') {
            depth += 1;
        } else if is_punct(toks.get(i), '>') && !is_arrow_at(toks, i) {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    i
}

/// Index of the first `word` ident at angle depth 0 in `toks[from..]`.
pub fn find_top_ident(toks: &[TokenTree], from: usize, word: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate().skip(from) {
        if is_punct(Some(t), '<') {
            depth += 1;
        } else if is_punct(Some(t), '>') && !is_arrow_at(toks, i) {
            depth -= 1;
        } else if depth <= 0 && is_ident(Some(t), word) {
            return Some(i);
        }
    }
    None
}

/// Outer attributes at `toks[i..]`: (attributes as (index of '#', bracket group), index after them).
pub fn outer_attrs(toks: &[TokenTree], mut i: usize) -> (Vec<(usize, Group)>, usize) {
    let mut attrs = Vec::new();
    while is_punct(toks.get(i), '#') {
        match group_of(toks.get(i + 1), Delimiter::Bracket) {
            Some(g) => {
                attrs.push((i, g));
                i += 2;
            }
            None => break,
        }
    }
    (attrs, i)
}

/// If the attribute body (inside `#[...]`) is our own `profile` attribute,
/// the tokens of its arguments (empty when it has none).
pub fn profile_attr_args(attr: &Group) -> Option<TokenStream> {
    let toks: Vec<TokenTree> = attr.stream().into_iter().collect();
    let mut i = 0;
    if is_punct(toks.first(), ':') {
        i = 2;
    }
    if is_ident(toks.get(i), "cprof") && is_punct(toks.get(i + 1), ':') {
        i += 3;
    }
    if !is_ident(toks.get(i), "profile") {
        return None;
    }
    match toks.get(i + 1) {
        None => Some(TokenStream::new()),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis && i + 2 == toks.len() => {
            Some(g.stream())
        }
        _ => None,
    }
}

/// Every token of `ts` re-spanned to `span`, so an error points at the item.
pub fn respan(ts: TokenStream, span: Span) -> TokenStream {
    ts.into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                TokenTree::Group(ng)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}
