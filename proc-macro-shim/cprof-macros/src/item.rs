//! Reads the item under the attribute: which kind it is, and for a function
//! the parts the expansion needs (name, qualifiers, receiver, return type,
//! body). Everything else passes through as the tokens the user wrote.

use crate::tokens::{
    find_top_ident, group_of, ident_of, is_ident, is_punct, open_invisible, outer_attrs, skip_angles,
};
use proc_macro::{Delimiter, Group, Ident, Span, TokenTree};

pub struct FnItem {
    /// All tokens of the item; the body is the last one.
    pub toks: Vec<TokenTree>,
    pub attrs: Vec<(usize, Group)>,
    pub name: Ident,
    pub is_async: bool,
    /// Span of `const` for a `const fn`.
    pub const_span: Option<Span>,
    pub has_receiver: bool,
    /// Tokens after `->`, up to `where` or the body.
    pub ret: Option<Vec<TokenTree>>,
    /// The body, `None` for a declaration (`fn f();`).
    pub body: Option<Group>,
}

pub enum Item {
    Fn(FnItem),
    /// `impl ... { }`: the name used for its methods, the body.
    Impl { toks: Vec<TokenTree>, self_name: String, body: Group },
    /// `trait Name ... { }`.
    Trait { toks: Vec<TokenTree>, name: String, body: Group },
    /// Anything else: what to call it in an error, and where.
    Other { kind: String, span: Span },
}

pub fn parse(toks: Vec<TokenTree>) -> Item {
    let toks = open_invisible(toks);
    let (attrs, mut i) = outer_attrs(&toks, 0);
    if is_ident(toks.get(i), "pub") {
        i += 1;
        if group_of(toks.get(i), Delimiter::Parenthesis).is_some() {
            i += 1;
        }
    }
    let start = i;
    let (mut is_async, mut const_span) = (false, None);
    while let Some(TokenTree::Ident(id)) = toks.get(i) {
        match id.to_string().as_str() {
            "default" | "auto" | "unsafe" => {}
            "const" => const_span = Some(id.span()),
            "async" => is_async = true,
            "extern" => {
                if matches!(toks.get(i + 1), Some(TokenTree::Literal(_))) {
                    i += 1;
                }
            }
            _ => break,
        }
        i += 1;
    }
    let span_at = |k: usize| toks.get(k).or(toks.last()).map_or(Span::call_site(), |t| t.span());
    let kw = match toks.get(i) {
        Some(TokenTree::Ident(id)) => id.to_string(),
        Some(TokenTree::Group(_)) if is_ident(toks.get(start), "extern") => {
            return Item::Other { kind: "an extern block".into(), span: span_at(start) }
        }
        _ => return Item::Other { kind: "this item".into(), span: span_at(start) },
    };
    match kw.as_str() {
        "fn" => parse_fn(toks, attrs, i, is_async, const_span),
        "impl" => match toks.last() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                let body = g.clone();
                let self_name = impl_self_name(&toks[i + 1..toks.len() - 1]);
                Item::Impl { toks, self_name, body }
            }
            _ => Item::Other { kind: "this impl".into(), span: span_at(i) },
        },
        "trait" => match (ident_of(toks.get(i + 1)), toks.last()) {
            (Some(name), Some(TokenTree::Group(g))) if g.delimiter() == Delimiter::Brace => {
                let body = g.clone();
                Item::Trait { toks, name: name.to_string(), body }
            }
            _ => Item::Other { kind: "this trait".into(), span: span_at(i) },
        },
        _ if const_span.is_some() => Item::Other { kind: "a const item".into(), span: span_at(start) },
        _ if is_punct(toks.get(i + 1), '!') => Item::Other { kind: "a macro invocation".into(), span: span_at(i) },
        "struct" | "enum" | "union" | "static" | "mod" | "use" | "type" | "extern" | "macro_rules" => {
            let article = if kw.starts_with(['a', 'e', 'u']) && kw != "use" && kw != "union" { "an" } else { "a" };
            Item::Other { kind: format!("{article} `{kw}` item"), span: span_at(i) }
        }
        _ => Item::Other { kind: "this item".into(), span: span_at(i) },
    }
}

fn parse_fn(toks: Vec<TokenTree>, attrs: Vec<(usize, Group)>, fn_kw: usize, is_async: bool, const_span: Option<Span>) -> Item {
    let name = match ident_of(toks.get(fn_kw + 1)) {
        Some(n) => n,
        None => return Item::Other { kind: "this item".into(), span: toks[fn_kw].span() },
    };
    let mut i = fn_kw + 2;
    if is_punct(toks.get(i), '<') {
        i = skip_angles(&toks, i);
    }
    let params = group_of(toks.get(i), Delimiter::Parenthesis);
    let has_receiver = params.as_ref().is_some_and(has_receiver);
    i += 1;
    let body = group_of(toks.last(), Delimiter::Brace);
    let sig_end = if body.is_some() { toks.len() - 1 } else { toks.len() };
    let ret = if is_punct(toks.get(i), '-') && is_punct(toks.get(i + 1), '>') {
        let end = find_top_ident(&toks[..sig_end], i + 2, "where").unwrap_or(sig_end);
        Some(toks[i + 2..end].to_vec())
    } else {
        None
    };
    Item::Fn(FnItem { toks, attrs, name, is_async, const_span, has_receiver, ret, body })
}

/// `self`, `mut self`, `&self`, `&'a mut self`, `self: Box<Self>`, ...
fn has_receiver(params: &Group) -> bool {
    let toks: Vec<TokenTree> = params.stream().into_iter().collect();
    let (_, mut i) = outer_attrs(&toks, 0);
    if is_punct(toks.get(i), '&') {
        i += 1;
        if is_punct(toks.get(i), '\'') {
            i += 2;
        }
    }
    if is_ident(toks.get(i), "mut") {
        i += 1;
    }
    is_ident(toks.get(i), "self")
}

/// The Self type of an impl header (`impl<T> Tr for a::Foo<T> where ..`),
/// shortened as region names show it.
fn impl_self_name(head: &[TokenTree]) -> String {
    let mut i = 0;
    if is_punct(head.first(), '<') {
        i = skip_angles(head, 0);
    }
    let end = find_top_ident(head, i, "where").unwrap_or(head.len());
    let head = &head[i..end];
    let ty = match find_top_ident(head, 0, "for") {
        Some(f) if !is_punct(head.get(f + 1), '<') => &head[f + 1..],
        _ => head,
    };
    crate::tokens::short_type(ty)
}
