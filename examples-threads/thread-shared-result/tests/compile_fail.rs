//! The unsynchronized version must not compile, and the error must stay the one the book shows.

#[test]
fn writing_the_callers_variable_from_a_thread_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
