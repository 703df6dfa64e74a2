//! The two programs the compiler refuses, with the errors the book shows.

#[test]
fn rc_and_refcell_do_not_cross_threads() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
