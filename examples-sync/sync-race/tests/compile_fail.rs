//! The unsynchronized counter must not compile, and the error must stay the one the book shows.

#[test]
fn two_threads_adding_to_a_plain_integer_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
