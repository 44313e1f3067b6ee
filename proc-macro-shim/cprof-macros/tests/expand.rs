//! Expansion tests: what #[profile] makes of each supported shape, with
//! profiling on and off, and the errors for what it refuses. The hidden
//! `__expand_on!` / `__expand_off!` macros return the expansion as a string;
//! comparisons ignore whitespace.

use cprof_macros::{__expand_off, __expand_on};

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

macro_rules! assert_expands {
    ($got:expr, $want:expr) => {
        assert_eq!(squash($got), squash($want), "\nexpansion:\n{}\n", $got)
    };
}

const FILE: &str = r#"::core::concat!(::core::file!(), "\0")"#;

/// The body of an annotated function: the site, then the body as the one
/// arm of a match on the guard (a temporary of the tail expression, dropped
/// after the body's own tail temporaries).
fn guarded(site: &str, enter: &str, body: &str) -> String {
    format!("{{ static __CPROF_SITE: ::cprof::__private::Site = ::cprof::__private::{site} match &{enter} {{ _ => {{ {body} }} }} }}")
}

/// The site and guard of a function named on first entry.
fn lazy(line: u32, body: &str) -> String {
    let site = format!("Site::lazy({FILE}, {line}); fn __cprof_f() {{}}");
    // the nested fn: its type_name is the function's path (`krate::m::Type<_>::f::__cprof_f`)
    guarded(&site, "::cprof::__private::Guard::enter_lazy(&__CPROF_SITE, __cprof_f, ::core::module_path!())", body)
}

#[test]
fn free_function_is_named_at_first_entry() {
    let (got, line) = (__expand_on!([] fn hot(x: u32) -> u32 { x + 1 }), line!());
    assert_expands!(got, &format!("fn hot(x: u32) -> u32 {}", lazy(line, "x + 1")));
}

#[test]
fn qualifiers_attributes_generics_where_are_kept() {
    let got = __expand_on!([] #[inline] #[must_use] pub(crate) unsafe extern "C" fn g<'a, F: Fn(u8) -> u8>(f: F, s: &'a str) -> &'a str where F: Copy { s });
    let head = r#"#[inline] #[must_use] pub(crate) unsafe extern "C" fn g<'a, F: Fn(u8) -> u8>(f: F, s: &'a str) -> &'a str where F: Copy"#;
    assert!(squash(got).starts_with(&squash(head)), "{got}");
    assert!(squash(got).contains("Site::lazy("), "{got}");
    assert!(squash(got).ends_with("{_=>{s}}}"), "{got}");
}

#[test]
fn raw_identifier_name() {
    let got = __expand_on!([] fn r#match() {});
    assert!(squash(got).starts_with("fnr#match(){"), "{got}");
    assert!(squash(got).contains("Guard::enter_lazy(&__CPROF_SITE,__cprof_f,::core::module_path!())"), "{got}");
}

#[test]
fn methods_and_associated_fns_alone_are_named_at_first_entry_too() {
    // The macro cannot tell an associated fn from a free one, nor a method's
    // type's module: the nested fn's path tells, at run time.
    for (got, line) in [
        (__expand_on!([] fn m(&self) -> u32 { 1 }), line!()),
        (__expand_on!([] fn m(&'a mut self) -> u32 { 1 }), line!()),
        (__expand_on!([] fn m(mut self: Box<Self>) -> u32 { 1 }), line!()),
        (__expand_on!([] fn m(self) -> u32 { 1 }), line!()),
        (__expand_on!([] fn m() -> u32 { 1 }), line!()),
        (__expand_on!([] pub fn m(self_: u8) -> u32 { 1 }), line!()),
    ] {
        assert!(squash(got).ends_with(&squash(&lazy(line, "1"))), "{got}");
    }
}

#[test]
fn name_overrides() {
    let got = __expand_on!([name = "parse/header"] fn f(&self) {});
    assert!(squash(got).contains(&squash(r#"Site::new(::core::concat!("parse/header", "\0"),"#)), "{got}");
    let got = __expand_on!([name = "tab\\0\t\u{41}"] fn f() {});
    assert!(got.contains(r#"concat!("tab\\0\t\u{41}", "\0")"#), "an escaped backslash is no NUL: {got}");
    let got = __expand_on!([name = r"raw name",] fn f() {});
    assert!(squash(got).contains(&squash(r#"::core::concat!(r"raw name", "\0")"#)), "{got}");
    // exactly as given, nothing found at run time
    let (got, line) = (__expand_on!([name = "n"] fn f() {}), line!());
    let site = format!(r#"Site::new(::core::concat!("n", "\0"), {FILE}, {line});"#);
    assert_expands!(got, &format!("fn f() {}", guarded(&site, "::cprof::__private::Guard::enter(&__CPROF_SITE)", "")));
}

#[test]
fn async_fn_wraps_each_poll() {
    let (got, line) = (__expand_on!([] async fn a(x: &str) -> Result<u8, E> { Ok(1) }), line!());
    let want = r#"async fn a(x: &str) -> Result<u8, E> {
        static __CPROF_SITE: ::cprof::__private::Site = ::cprof::__private::Site::lazy(
            ::core::concat!(::core::file!(), "\0"), LINE);
        fn __cprof_f() {}
        ::cprof::__private::Instrumented::new_lazy(&__CPROF_SITE, __cprof_f, ::core::module_path!(),
            ::cprof::__private::ret_hint::<Result<u8, E>, _>(async move { Ok(1) })).await
    }"#;
    assert_expands!(got, &want.replace("LINE", &line.to_string()));
    // no return type: the hint is `()`; `impl Trait` cannot be named: no hint
    let got = __expand_on!([] async fn b() { step().await });
    assert!(squash(got).contains("ret_hint::<(),_>(asyncmove{step().await})"), "{got}");
    let got = __expand_on!([] async fn c() -> impl Display { 1 });
    assert!(squash(got).contains("::core::module_path!(),asyncmove{1})"), "{got}");
    let got = __expand_on!([] async fn d<F: Fn() -> u8>(f: F) -> u8 where F: Send { f() });
    assert!(squash(got).contains("ret_hint::<u8,_>"), "{got}");
    let got = __expand_on!([name = "n"] async fn e(&self) -> u8 { 1 });
    assert!(squash(got).contains(r#"Site::new(::core::concat!("n","\0"),"#), "{got}");
    assert!(squash(got).contains("::cprof::__private::Instrumented::new(&__CPROF_SITE,::cprof::__private::ret_hint"), "{got}");
    assert!(!got.contains("__cprof_f"), "a named site needs no nested fn: {got}");
}

#[test]
fn impl_block_profiles_every_function_named_at_first_entry() {
    let got = __expand_on!([] impl<'a, T: Tr> super::Foo<'a, T> where T: Copy {
        fn a(&self) {}
        const fn b() {}
        #[cprof::profile(name = "c")] fn c() {}
        #[profile] pub fn d() {}
        type X = u8;
        const Y: u8 = { 1 };
        m! { }
        fn e();
    });
    let s = squash(got);
    assert!(s.starts_with(&squash("impl<'a, T: Tr> super::Foo<'a, T> where T: Copy {")), "{got}");
    // the type's path is not in the tokens (`super::Foo` may be anywhere):
    // the nested fn's path gives it, as for a method annotated alone
    assert!(s.contains(&squash("fn a(&self) { static __CPROF_SITE: ::cprof::__private::Site = ::cprof::__private::Site::lazy(")), "{got}");
    assert!(s.contains(&squash("const fn b() {}")), "{got}");
    assert!(s.contains(&squash(r#"Site::new(::core::concat!("c", "\0"),"#)), "{got}");
    assert!(s.contains(&squash(r#"pub fn d() { static __CPROF_SITE: ::cprof::__private::Site = ::cprof::__private::Site::lazy("#)), "{got}");
    assert!(!s.contains("#[cprof::profile") && !s.contains("#[profile]"), "inner attributes taken in: {got}");
    assert!(s.ends_with(&squash("type X = u8; const Y: u8 = { 1 }; m! { } fn e(); }")), "{got}");
    assert_eq!(s.matches("Guard::enter_lazy(&__CPROF_SITE,__cprof_f,::core::module_path!())").count(), 2, "{got}");
    assert_eq!(s.matches("Guard::enter(&__CPROF_SITE)").count(), 1, "{got}");
    assert_eq!(s.matches("fn__cprof_f(){}").count(), 2, "{got}");
}

#[test]
fn impl_blocks_of_any_self_type_expand_alike() {
    for (got, line) in [
        (__expand_on!([] impl<T> Tr for Vec<T> { fn m(&self) {} }), line!()),
        (__expand_on!([] impl<'a> Tr for &'a [u8] { fn m(&self) {} }), line!()),
        (__expand_on!([] impl Tr for (i32, u8) { fn m(&self) {} }), line!()),
        (__expand_on!([] impl ::std::fmt::Display for crate::a::Foo { fn m(&self) {} }), line!()),
        (__expand_on!([] unsafe impl<T: Iterator<Item = u8>> Send for Wrap<T> where T: Send { fn m(&self) {} }), line!()),
        (__expand_on!([] impl Tr for Box<dyn Fn() -> u8> { fn m(&self) {} }), line!()),
    ] {
        assert!(squash(got).ends_with(&squash(&format!("fn m(&self) {} }}", lazy(line, "")))), "{got}");
    }
}

#[test]
fn trait_profiles_default_methods() {
    let got = __expand_on!([] pub trait Shape: Sized { fn sides(&self) -> u32; fn describe(&self) -> u32 { self.sides() } });
    let s = squash(got);
    assert!(s.contains(&squash("fn sides(&self) -> u32;")), "{got}");
    assert!(s.contains(&squash("fn describe(&self) -> u32 { static __CPROF_SITE: ::cprof::__private::Site = ::cprof::__private::Site::lazy(")), "{got}");
    assert_eq!(s.matches("Guard::enter_lazy").count(), 1);
}

#[test]
fn off_hands_the_item_back_untouched() {
    assert_expands!(__expand_off!([] fn hot(x: u32) -> u32 { x + 1 }), "fn hot(x: u32) -> u32 { x + 1 }");
    assert_expands!(__expand_off!([name = "n"] async fn a() -> u8 { 1 }), "async fn a() -> u8 { 1 }");
    assert_expands!(
        __expand_off!([] impl Foo { #[profile(name = "x")] fn a(&self) {} const fn b() {} }),
        r#"impl Foo { #[profile(name = "x")] fn a(&self) {} const fn b() {} }"#
    );
    assert_expands!(__expand_off!([] trait T { fn a(&self) {} }), "trait T { fn a(&self) {} }");
}

fn assert_error(got: &str, msg: &str, item: &str) {
    let s = squash(got);
    assert!(s.starts_with("::core::compile_error!{"), "no compile_error: {got}");
    assert!(got.contains(msg), "message {msg:?} not in: {got}");
    assert!(s.ends_with(&squash(item)), "the item is not kept after the error: {got}");
}

#[test]
fn unsupported_items_are_compile_errors_on_and_off() {
    let cases = [
        (__expand_on!([] const fn f() -> u8 { 1 }), __expand_off!([] const fn f() -> u8 { 1 }), "cannot be applied to a `const fn`", "const fn f() -> u8 { 1 }"),
        (__expand_on!([] pub const unsafe fn f() {}), __expand_off!([] pub const unsafe fn f() {}), "cannot be applied to a `const fn`", "pub const unsafe fn f() {}"),
        (__expand_on!([] struct S { x: u8 }), __expand_off!([] struct S { x: u8 }), "cannot be applied to a `struct` item", "struct S { x: u8 }"),
        (__expand_on!([] enum E { A }), __expand_off!([] enum E { A }), "cannot be applied to an `enum` item", "enum E { A }"),
        (__expand_on!([] static X: u8 = 1;), __expand_off!([] static X: u8 = 1;), "cannot be applied to a `static` item", "static X: u8 = 1;"),
        (__expand_on!([] const X: u8 = 1;), __expand_off!([] const X: u8 = 1;), "cannot be applied to a const item", "const X: u8 = 1;"),
        (__expand_on!([] mod m {}), __expand_off!([] mod m {}), "cannot be applied to a `mod` item", "mod m {}"),
        (__expand_on!([] use a::b;), __expand_off!([] use a::b;), "cannot be applied to a `use` item", "use a::b;"),
        (__expand_on!([] extern "C" { fn f(); }), __expand_off!([] extern "C" { fn f(); }), "cannot be applied to an extern block", r#"extern "C" { fn f(); }"#),
        (__expand_on!([] fn decl(&self);), __expand_off!([] fn decl(&self);), "needs a function body", "fn decl(&self);"),
        (__expand_on!([] m!(x);), __expand_off!([] m!(x);), "cannot be applied to a macro invocation", "m!(x);"),
    ];
    for (on, off, msg, item) in cases {
        assert_error(on, msg, item);
        assert_error(off, msg, item);
        assert!(on.contains("#[profile] supports functions with a body"), "{on}");
    }
}

#[test]
fn bad_arguments_are_compile_errors() {
    let cases = [
        (__expand_on!([label = "x"] fn f() {}), "unknown #[profile] argument `label`"),
        (__expand_on!([name = 42] fn f() {}), "expected a string literal"),
        (__expand_on!([name = b"x"] fn f() {}), "expected a string literal"),
        (__expand_on!([name = ""] fn f() {}), "must not be empty"),
        (__expand_on!([name = r#""#] fn f() {}), "must not be empty"),
        (__expand_on!([name] fn f() {}), "expected `=` after `name`"),
        (__expand_on!([name =] fn f() {}), "expected a string literal"),
        (__expand_on!([name = "a", name = "b"] fn f() {}), "`name` given twice"),
        (__expand_on!([name = "a" x] fn f() {}), "expected `,` or the end"),
        (__expand_on!(["a"] fn f() {}), "expected `name = \\\"...\\\"`"),
        (__expand_on!([name = "n"] impl S { fn a(&self) {} }), "`name` names one function"),
        (__expand_off!([name = 42] fn f() {}), "expected a string literal"),
        (__expand_on!([name = "a\0b"] fn f() {}), "must not contain a NUL"),
        (__expand_off!([name = "a\x00"] fn f() {}), "must not contain a NUL"),
        (__expand_on!([name = "\u{0}"] fn f() {}), "must not contain a NUL"),
    ];
    for (got, msg) in cases {
        assert!(got.starts_with(":: core :: compile_error!") || squash(got).starts_with("::core::compile_error!"), "{got}");
        assert!(got.contains(msg), "message {msg:?} not in: {got}");
    }
}
