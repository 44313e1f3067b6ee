//! Region names of methods found at run time: `std::any::type_name` of a fn
//! nested in the method gives its full path; the region shows `Type::method`.
//! `cprof-macros` shortens the Self type of an impl header the same way.

/// `a::b::Foo<_>::bar::__cprof_f` -> `Foo::bar`;
/// `<a::Foo<_> as a::Tr>::bar::{{closure}}::__cprof_f` -> `Foo::bar`;
/// `a::Tr::bar::__cprof_f` (a trait's default method) -> `Tr::bar`.
pub fn method_name(nested_fn_path: &str) -> String {
    let mut path = nested_fn_path.strip_suffix("::__cprof_f").unwrap_or(nested_fn_path);
    while let Some(p) = path.strip_suffix("::{{closure}}") {
        path = p;
    }
    let (owner, method) = match last_top_sep(path) {
        Some(at) => (&path[..at], &path[at + 2..]),
        None => return path.to_string(),
    };
    // An impl written in another module than its type is printed as a path
    // segment: `a::<impl b::Foo>::m`, or `a::<impl b::Tr for b::Foo>::m`.
    let last = last_top_sep(owner).map_or(owner, |at| &owner[at + 2..]);
    if let Some(header) = last.strip_prefix("<impl ").and_then(|o| o.strip_suffix('>')) {
        let ty = top_find(header, " for ").map_or(header, |at| &header[at + 5..]);
        return format!("{}::{}", short_type(ty), method);
    }
    let self_ty = match owner.strip_prefix('<').and_then(|o| o.strip_suffix('>')) {
        Some(qualified) => match top_find(qualified, " as ") {
            Some(at) => &qualified[..at],
            None => qualified,
        },
        None => owner,
    };
    format!("{}::{}", short_type(self_ty), method)
}

/// Byte index of the last `::` outside `<>`, `()`, `[]`.
fn last_top_sep(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut depth, mut last) = (0i32, None);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' if i > 0 && b[i - 1] == b'-' => {}
            b'>' | b')' | b']' => depth -= 1,
            b':' if depth == 0 && b.get(i + 1) == Some(&b':') => {
                last = Some(i);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    last
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

/// A type without generic arguments and path prefixes:
/// `alloc::vec::Vec<u8>` -> `Vec`, `&mut a::Foo<'_>` -> `&mut Foo`.
pub fn short_type(ty: &str) -> String {
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

    #[test]
    fn methods_of_inherent_and_trait_impls() {
        assert_eq!(method_name("t::m::Foo<_>::g::__cprof_f"), "Foo::g");
        assert_eq!(method_name("t::m::Bar::g::__cprof_f"), "Bar::g");
        assert_eq!(method_name("<t::m::Foo<_> as t::m::Tr>::r::__cprof_f"), "Foo::r");
        assert_eq!(method_name("<t::m::Bar as t::m::Tr<u8>>::r::__cprof_f"), "Bar::r");
        assert_eq!(method_name("t::m::Tr::d::__cprof_f"), "Tr::d");
        assert_eq!(method_name("<&[u8] as t::m::Tr>::r::__cprof_f"), "&[u8]::r");
        assert_eq!(method_name("<(i32, u8) as t::Tr>::r::__cprof_f"), "(i32, u8)::r");
        assert_eq!(method_name("<alloc::boxed::Box<_> as t::m::Tr>::r::__cprof_f"), "Box::r");
        assert_eq!(method_name("s::m::Foo::h::{{closure}}::__cprof_f"), "Foo::h");
    }

    #[test]
    fn impls_written_in_another_module() {
        assert_eq!(method_name("nm2::<impl nm2::types::Lexer>::next_tok::__cprof_f"), "Lexer::next_tok");
        assert_eq!(method_name("a::b::<impl a::Foo<T>>::go::{{closure}}::__cprof_f"), "Foo::go");
        assert_eq!(method_name("a::<impl a::Tr for a::m::Bar>::run::__cprof_f"), "Bar::run");
        assert_eq!(method_name("a::<impl super::A>::x::__cprof_f"), "A::x");
    }

    #[test]
    fn short_types() {
        assert_eq!(short_type("alloc::vec::Vec<alloc::string::String>"), "Vec");
        assert_eq!(short_type("&mut a::Foo<'_, fn() -> u8>"), "&mut Foo");
        assert_eq!(short_type("dyn a::b::Tr"), "dyn Tr");
        assert_eq!(short_type("[u8; 4]"), "[u8; 4]");
    }
}
