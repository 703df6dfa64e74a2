//! A map shared without a lock must not compile, and the errors must stay the ones the book shows.

#[test]
fn threads_updating_a_map_without_a_lock_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
