//! The attribute's arguments: nothing, or `name = "region name"`.

use crate::error::{err, Result};
use crate::tokens::is_punct;
use proc_macro::{Span, TokenStream, TokenTree};

#[derive(Default)]
pub struct Args {
    /// The string literal token as written (passed to `concat!`, which
    /// decodes its escapes), and where it was written.
    pub name: Option<(String, Span)>,
}

pub fn parse(ts: TokenStream) -> Result<Args> {
    let toks = crate::tokens::open_invisible(ts.into_iter().collect());
    let mut args = Args::default();
    let mut i = 0;
    while i < toks.len() {
        let key = match &toks[i] {
            TokenTree::Ident(id) => id.clone(),
            other => return err(other.span(), "expected `name = \"...\"` in #[profile(...)]"),
        };
        if key.to_string() != "name" {
            return err(key.span(), format!("unknown #[profile] argument `{key}`: the only one is `name = \"...\"`"));
        }
        if args.name.is_some() {
            return err(key.span(), "`name` given twice in #[profile(...)]");
        }
        if !is_punct(toks.get(i + 1), '=') {
            let span = toks.get(i + 1).map_or(key.span(), |t| t.span());
            return err(span, "expected `=` after `name` in #[profile(name = \"...\")]");
        }
        let lit = match toks.get(i + 2) {
            Some(TokenTree::Literal(l)) => l.clone(),
            Some(other) => return err(other.span(), "expected a string literal after `name =`"),
            None => return err(toks[i + 1].span(), "expected a string literal after `name =`"),
        };
        let text = lit.to_string();
        let is_str = text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#");
        if !is_str {
            return err(lit.span(), "expected a string literal after `name =` (a plain \"...\" string)");
        }
        // "", r"", r#""#, ...: empty whatever the raw-string hashes
        if text.trim_start_matches('r').trim_matches('#') == "\"\"" {
            return err(lit.span(), "the region name must not be empty");
        }
        if has_nul(&text) {
            return err(lit.span(), "the region name must not contain a NUL character (it goes to C as NUL-terminated text)");
        }
        args.name = Some((text, lit.span()));
        i += 3;
        if i < toks.len() {
            if !is_punct(toks.get(i), ',') {
                return err(toks[i].span(), "expected `,` or the end of #[profile(...)]");
            }
            i += 1;
        }
    }
    Ok(args)
}

/// Whether a string literal, as written, holds a NUL character.
fn has_nul(text: &str) -> bool {
    if text.contains('\0') {
        return true;
    }
    if text.starts_with('r') {
        return false; // raw: no escapes
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let rest = &text[i + 1..];
            if rest.starts_with('0') || rest.starts_with("x00") {
                return true;
            }
            if let Some(hex) = rest.strip_prefix("u{").and_then(|r| r.split('}').next()) {
                if hex.chars().all(|c| c == '0' || c == '_') {
                    return true;
                }
            }
            i += 2; // skip the escaped character (`\\` included)
            continue;
        }
        i += 1;
    }
    false
}
