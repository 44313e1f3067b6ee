//! Full region names, found once on a site's first entry: the path of the
//! annotated function, from `std::any::type_name` of a fn item nested in it
//! (`krate::m::Type<_>::method::__cprof_f`, rustc's path of the function)
//! and `module_path!()` of the function.
//!
//! A name is crate, modules, type or trait, function, joined by `::`, with no
//! generic arguments; a `::` never appears inside brackets, so every `::`
//! suffix of a name is a name too (`parse`, `Parser::parse`,
//! `parser::Parser::parse`, ...), which the runtime's `CPROF_REGIONS` and the
//! CLI's short names rely on.

/// The full name of the function whose nested fn item has `type_name`
/// `nested_fn_path`; `module` is `module_path!()` where the function is written.
///
/// - `t::m::f` (a free function) stays `t::m::f`;
/// - `t::m::Foo<_>::g` -> `t::m::Foo::g` (the type's path: where it is defined);
/// - `<t::m::Bar as t::Tr>::r` -> `t::m::Bar::r` (a trait impl: the type's);
/// - `t::a::<impl t::m::Bar>::g` (an impl written in another module than
///   its type) -> `t::m::Bar::g`;
/// - `t::m::Tr::d` (a trait's default method) stays;
/// - a Self type that is no path of this crate (`&[u8]`, `(i32, u8)`, `i32`,
///   `dyn Tr`, `_` of a blanket impl, `alloc::vec::Vec<u8>`): the module of
///   the impl, then the type written short in angle brackets:
///   `t::m::<&[u8]>::r`, `t::m::<Vec>::r`;
/// - closures and async blocks on the way (`{{closure}}`) are left out.
pub fn full_name(nested_fn_path: &str, module: &str) -> String {
    let path = nested_fn_path.strip_suffix("::__cprof_f").unwrap_or(nested_fn_path);
    let mut out = String::new();
    for seg in top_segments(path) {
        if seg.starts_with('{') {
            continue; // `{{closure}}`, `{async block}`, ...
        }
        let impl_header = seg.strip_prefix("<impl ").and_then(|h| h.strip_suffix('>'));
        let qualified = seg.strip_prefix('<').and_then(|q| q.strip_suffix('>'));
        if let Some(header) = impl_header {
            // `<impl Type>`, `<impl Trait for Type>`: what comes before is the
            // impl's module, the type's own path replaces it
            let ty = top_find(header, " for ").map_or(header, |at| &header[at + 5..]);
            out = type_owner(ty, module);
        } else if let Some(q) = qualified {
            // `<Type as Trait>`
            out = type_owner(top_find(q, " as ").map_or(q, |at| &q[..at]), module);
        } else {
            if !out.is_empty() {
                out.push_str("::");
            }
            let seg = strip_generics(seg);
            out.push_str(seg.strip_prefix("r#").unwrap_or(&seg));
        }
    }
    out
}

/// What a method's name starts with for Self type `ty`: its path without
/// generic arguments when it is a type of this crate (the crate `module`
/// is in), else `module::<short type>`.
fn type_owner(ty: &str, module: &str) -> String {
    let path = strip_generics(ty);
    let krate = module.split("::").next().unwrap_or(module);
    let is_path = path.split("::").all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
    if is_path && path.split("::").next() == Some(krate) {
        path
    } else {
        format!("{module}::<{}>", short_type(ty))
    }
}

/// `s` split at each `::` outside `<>`, `()`, `[]`, `{}`.
fn top_segments(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let (mut depth, mut start, mut segs) = (0i32, 0, Vec::new());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' | b'(' | b'[' | b'{' => depth += 1,
            b'>' if i > 0 && b[i - 1] == b'-' => {}
            b'>' | b')' | b']' | b'}' => depth -= 1,
            b':' if depth == 0 && b.get(i + 1) == Some(&b':') => {
                segs.push(&s[start..i]);
                start = i + 2;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    segs.push(&s[start..]);
    segs
}

/// Byte index of `pat` outside brackets.
fn top_find(s: &str, pat: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    for i in 0..b.len() {
        match b[i] {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' if i > 0 && b[i - 1] == b'-' => {}
            b'>' | b')' | b']' => depth -= 1,
            _ if depth == 0 && s[i..].starts_with(pat) => return Some(i),
            _ => {}
        }
    }
    None
}

/// `s` without its `<...>` groups: `t::m::Foo<_>` -> `t::m::Foo`.
fn strip_generics(s: &str) -> String {
    let mut out = String::new();
    let (mut depth, mut prev) = (0i32, ' ');
    for c in s.chars() {
        match c {
            '<' => depth += 1,
            '>' if prev != '-' && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        prev = c;
    }
    out
}

/// A type without generic arguments and path prefixes:
/// `alloc::vec::Vec<u8>` -> `Vec`, `&mut a::Foo<'_>` -> `&mut Foo`.
fn short_type(ty: &str) -> String {
    let mut out = String::new();
    let mut chars = ty.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut depth = 1;
                let mut p = c;
                for d in chars.by_ref() {
                    match d {
                        '<' => depth += 1,
                        '>' if p != '-' => depth -= 1,
                        _ => {}
                    }
                    p = d;
                    if depth == 0 {
                        break;
                    }
                }
                continue;
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                while out.ends_with(|x: char| x.is_alphanumeric() || x == '_') {
                    out.pop();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nested fn path as `type_name` prints it (rustc 1.95), written in `module`.
    fn name(module: &str, nested_fn_path: &str) -> String {
        full_name(nested_fn_path, module)
    }

    #[test]
    fn free_functions_keep_their_module_path() {
        assert_eq!(name("t::m", "t::m::free::__cprof_f"), "t::m::free");
        assert_eq!(name("t", "t::main::__cprof_f"), "t::main");
        assert_eq!(name("t::m", "t::m::match::__cprof_f"), "t::m::match");
        assert_eq!(name("t::m", "t::m::r#match::__cprof_f"), "t::m::match");
        // async: the nested fn sits in the body's future
        assert_eq!(name("t::m", "t::m::fetch::{{closure}}::__cprof_f"), "t::m::fetch");
        // nested in another function or a closure: that function's path
        assert_eq!(name("t::m", "t::m::outer::nested::__cprof_f"), "t::m::outer::nested");
        assert_eq!(name("t", "t::main::{{closure}}::inner::__cprof_f"), "t::main::inner");
    }

    #[test]
    fn methods_and_associated_fns_are_named_by_the_types_path() {
        assert_eq!(name("t::m", "t::m::Foo<_>::g::__cprof_f"), "t::m::Foo::g");
        assert_eq!(name("t::m", "t::m::Foo<_>::stat::__cprof_f"), "t::m::Foo::stat");
        assert_eq!(name("t::m", "t::m::Arr<N>::same::__cprof_f"), "t::m::Arr::same");
        assert_eq!(name("t::m", "t::m::Foo<_>::a::{{closure}}::__cprof_f"), "t::m::Foo::a");
        assert_eq!(name("t", "t::main::Local::l::__cprof_f"), "t::main::Local::l");
        // the same type name in two modules: two names
        assert_eq!(name("json::parser", "json::parser::Parser<_, _>::parse::__cprof_f"), "json::parser::Parser::parse");
        assert_eq!(name("toml::parser", "toml::parser::Parser::parse::__cprof_f"), "toml::parser::Parser::parse");
    }

    #[test]
    fn trait_impls_and_default_methods() {
        assert_eq!(name("t::m", "<t::m::Bar as t::Tr>::r::__cprof_f"), "t::m::Bar::r");
        assert_eq!(name("t::m", "<t::m::Foo<_> as t::m::Tr<u8>>::r::__cprof_f"), "t::m::Foo::r");
        assert_eq!(name("t::m", "t::m::Tr::d::__cprof_f"), "t::m::Tr::d");
        assert_eq!(name("t", "t::Tr<_>::d::{{closure}}::__cprof_f"), "t::Tr::d");
    }

    #[test]
    fn impls_written_in_another_module_than_their_type() {
        assert_eq!(name("t::o", "t::o::<impl t::m::Bar>::elsewhere::__cprof_f"), "t::m::Bar::elsewhere");
        assert_eq!(name("t::o", "t::o::<impl t::m::Foo<_>>::go::{{closure}}::__cprof_f"), "t::m::Foo::go");
        assert_eq!(name("t::o", "t::o::<impl t::Tr for t::m::Foo<u8>>::r::__cprof_f"), "t::m::Foo::r");
        // a fn nested in such a method
        assert_eq!(name("t::o", "t::o::<impl t::m::Bar>::g::inner::__cprof_f"), "t::m::Bar::g::inner");
    }

    #[test]
    fn self_types_without_a_path_of_this_crate_get_the_module_of_the_impl() {
        let cases = [
            ("<&[u8] as t::m::Tr>::r::__cprof_f", "t::m::<&[u8]>::r"),
            ("<(i32, u8) as t::m::Tr>::r::__cprof_f", "t::m::<(i32, u8)>::r"),
            ("<_ as t::m::Blanket>::b::__cprof_f", "t::m::<_>::b"),
            ("t::m::<impl t::Tr for i32>::r::__cprof_f", "t::m::<i32>::r"),
            ("t::m::<impl t::Tr for &[u8]>::r::__cprof_f", "t::m::<&[u8]>::r"),
            ("t::m::<impl t::Tr for [_; 3]>::r::__cprof_f", "t::m::<[_; 3]>::r"),
            ("t::m::<impl t::Tr for fn(u8) -> u8>::r::__cprof_f", "t::m::<fn(u8) -> u8>::r"),
            ("t::m::<impl t::Tr for *const u8>::r::__cprof_f", "t::m::<*const u8>::r"),
            ("t::m::<impl dyn t::Tr>::dy::__cprof_f", "t::m::<dyn Tr>::dy"),
            ("t::m::<impl t::Tr for &t::m::Foo<u8>>::r::__cprof_f", "t::m::<&Foo>::r"),
            // another crate's type: named in this crate, where the impl is
            ("t::m::<impl t::Tr for alloc::vec::Vec<u8>>::r::__cprof_f", "t::m::<Vec>::r"),
            (
                "t::m::<impl t::Tr for alloc::boxed::Box<dyn core::ops::function::Fn() -> u8>>::r::__cprof_f",
                "t::m::<Box>::r",
            ),
            ("<alloc::boxed::Box<_> as t::m::Tr>::r::__cprof_f", "t::m::<Box>::r"),
        ];
        for (path, want) in cases {
            assert_eq!(name("t::m", path), want, "{path}");
        }
    }

    #[test]
    fn no_name_has_a_separator_inside_brackets() {
        for path in [
            "t::m::<impl t::Tr for (a::B, c::D<e::F>)>::r::__cprof_f",
            "t::m::<impl t::Tr for &[alloc::vec::Vec<u8>]>::r::__cprof_f",
            "<fn(a::B) -> c::D as t::Tr>::r::__cprof_f",
        ] {
            let n = name("t::m", path);
            assert!(n.starts_with("t::m::<"), "{n}");
            assert_eq!(n.matches("::").count(), 3, "{path} -> {n}");
        }
    }

    /// What this compiler's `type_name` gives, for each shape the macro
    /// expands: `here!()` is what the expansion does inside a function.
    mod real {
        macro_rules! here {
            () => {{
                fn __cprof_f() {}
                fn tn<F>(_: F) -> &'static str {
                    std::any::type_name::<F>()
                }
                super::super::full_name(tn(__cprof_f), module_path!())
            }};
        }

        pub trait Tr {
            fn r(&self) -> String;
            fn d(&self) -> String {
                here!()
            }
        }

        pub mod a {
            pub struct Parser<T>(pub T);
            impl<T> Parser<T> {
                pub fn parse(&self) -> String {
                    here!()
                }
                pub fn stat() -> String {
                    here!()
                }
                pub async fn later(&self) -> String {
                    here!()
                }
            }
            impl super::Tr for Parser<u8> {
                fn r(&self) -> String {
                    here!()
                }
            }
            pub fn free() -> String {
                here!()
            }
        }

        pub mod b {
            pub struct Parser;
            impl Parser {
                pub fn parse(&self) -> String {
                    here!()
                }
            }
        }

        mod elsewhere {
            impl super::b::Parser {
                pub fn reset(&self) -> String {
                    here!()
                }
            }
            impl super::Tr for &[u8] {
                fn r(&self) -> String {
                    here!()
                }
            }
            impl super::Tr for Vec<u8> {
                fn r(&self) -> String {
                    here!()
                }
            }
            impl super::Tr for (i32, u8) {
                fn r(&self) -> String {
                    here!()
                }
            }
        }

        fn poll_once<F: std::future::Future>(f: F) -> F::Output {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            match std::pin::pin!(f).poll(&mut cx) {
                std::task::Poll::Ready(v) => v,
                std::task::Poll::Pending => unreachable!(),
            }
        }

        #[test]
        fn names_of_every_shape_from_this_compiler() {
            let m = "cprof::name::tests::real";
            let got = [
                (a::free(), format!("{m}::a::free")),
                (a::Parser(1u8).parse(), format!("{m}::a::Parser::parse")),
                (b::Parser.parse(), format!("{m}::b::Parser::parse")),
                (a::Parser::<u8>::stat(), format!("{m}::a::Parser::stat")),
                (poll_once(a::Parser(1u8).later()), format!("{m}::a::Parser::later")),
                (Tr::r(&a::Parser(1u8)), format!("{m}::a::Parser::r")),
                (a::Parser(1u8).d(), format!("{m}::Tr::d")),
                (b::Parser.reset(), format!("{m}::b::Parser::reset")),
                ((&b"x"[..]).r(), format!("{m}::elsewhere::<&[u8]>::r")),
                (vec![1u8].r(), format!("{m}::elsewhere::<Vec>::r")),
                ((1i32, 2u8).r(), format!("{m}::elsewhere::<(i32, u8)>::r")),
                ({
                    fn nested() -> String {
                        here!()
                    }
                    nested()
                }, format!("{m}::names_of_every_shape_from_this_compiler::nested")),
            ];
            for (got, want) in got {
                assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn short_types() {
        assert_eq!(short_type("alloc::vec::Vec<alloc::string::String>"), "Vec");
        assert_eq!(short_type("&mut a::Foo<'_, fn() -> u8>"), "&mut Foo");
        assert_eq!(short_type("dyn a::b::Tr"), "dyn Tr");
        assert_eq!(short_type("[u8; 4]"), "[u8; 4]");
    }
}
