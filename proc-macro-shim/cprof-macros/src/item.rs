//! Reads the item under the attribute: which kind it is, and for a function
//! the parts the expansion needs (name, qualifiers, return type, body). Everything else passes through as the tokens the user wrote.

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
    /// Tokens after `->`, up to `where` or the body.
    pub ret: Option<Vec<TokenTree>>,
    /// The body, `None` for a declaration (`fn f();`).
    pub body: Option<Group>,
}

pub enum Item {
    Fn(FnItem),
    /// `impl ... { }` or `trait Name ... { }`: all its tokens, its body.
    Block { toks: Vec<TokenTree>, body: Group },
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
                Item::Block { toks, body }
            }
            _ => Item::Other { kind: "this impl".into(), span: span_at(i) },
        },
        "trait" => match (ident_of(toks.get(i + 1)), toks.last()) {
            (Some(_), Some(TokenTree::Group(g))) if g.delimiter() == Delimiter::Brace => {
                let body = g.clone();
                Item::Block { toks, body }
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
    i += 1; // the parameters
    let body = group_of(toks.last(), Delimiter::Brace);
    let sig_end = if body.is_some() { toks.len() - 1 } else { toks.len() };
    let ret = if is_punct(toks.get(i), '-') && is_punct(toks.get(i + 1), '>') {
        let end = find_top_ident(&toks[..sig_end], i + 2, "where").unwrap_or(sig_end);
        Some(toks[i + 2..end].to_vec())
    } else {
        None
    };
    Item::Fn(FnItem { toks, attrs, name, is_async, const_span, ret, body })
}
