//! A job that cannot cross a process boundary must not compile, with the error the book shows.

#[test]
fn a_job_holding_a_file_is_refused_by_the_process_pool() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
