//! A compile error at a given span, as `::core::compile_error!("...")`.

use crate::tokens::respan;
use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

pub struct Error {
    pub span: Span,
    pub msg: String,
}

pub type Result<T> = std::result::Result<T, Error>;

pub fn err<T>(span: Span, msg: impl Into<String>) -> Result<T> {
    Err(Error { span, msg: msg.into() })
}

impl Error {
    pub fn into_tokens(self) -> TokenStream {
        let mut args = TokenStream::new();
        args.extend([TokenTree::Literal(Literal::string(&self.msg))]);
        let ts: TokenStream = [
            TokenTree::Punct(Punct::new(':', Spacing::Joint)),
            TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            TokenTree::Ident(Ident::new("core", Span::call_site())),
            TokenTree::Punct(Punct::new(':', Spacing::Joint)),
            TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            TokenTree::Ident(Ident::new("compile_error", Span::call_site())),
            TokenTree::Punct(Punct::new('!', Spacing::Alone)),
            TokenTree::Group(Group::new(Delimiter::Brace, args)),
        ]
        .into_iter()
        .collect();
        respan(ts, self.span)
    }
}

/// What the attribute accepts, for every "not supported" message.
pub const SUPPORTED: &str = "#[profile] supports functions with a body (free functions, methods, \
generic, unsafe, extern and async fn), impl blocks and traits";
