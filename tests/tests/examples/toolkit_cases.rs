//! The toolkit chapter's table: what Python's executors do and what the
//! toolkit's pools do, case by case.
//!
//! `toolkit-cases` (in `shared/`) and `python/toolkit_cases.py` each print
//! `case | pool | outcome` lines. Both are recorded and checked here, and the
//! table the chapter includes is made from the two recordings, so no cell of
//! it is typed by hand. The toolkit's own tests (`shared/tests/cases.rs`)
//! assert what each of its lines must say.

use std::collections::HashMap;

use example_harness::{
    Program, RECORD_OUTPUTS, check_recorded, python_version, redact_pids, workspace_root,
};

const RUST_RECORDED: &str = "shared/recorded/toolkit_cases.txt";
const PYTHON_RECORDED: &str = "python/recorded/toolkit_cases.txt";
const TABLE: &str = "shared/recorded/toolkit_cases.md";

/// PIDs change on every run.
fn normalize_rust(output: &str) -> String {
    redact_pids(output)
}

/// Python 3.13 words one pickling error differently from 3.10 to 3.12.
fn normalize_python(output: &str) -> String {
    output.replace("Can't get local object", "Can't pickle local object")
}

/// A line's case and pool.
type Key = (String, String);

/// `(case, pool) -> outcome`, and the keys in the order printed.
fn parse(output: &str) -> (HashMap<Key, String>, Vec<Key>) {
    let mut outcomes = HashMap::new();
    let mut order = Vec::new();
    for line in output.lines() {
        let [case, pool, outcome] = line.splitn(3, " | ").collect::<Vec<_>>()[..] else {
            panic!("not `case | pool | outcome`: {line:?}");
        };
        let key = (case.to_owned(), pool.to_owned());
        order.push(key.clone());
        outcomes.insert(key, outcome.to_owned());
    }
    (outcomes, order)
}

/// A table cell: the text, with what markdown would take as markup escaped.
fn cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '|' | '[' | ']' => {
                escaped.push('\\');
                escaped.push(c);
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

/// The chapter's table, from the two recordings, one case after the other.
fn table(rust: &str, python: &str) -> String {
    let (toolkit, order) = parse(rust);
    let (executors, python_order) = parse(python);
    let sorted = |mut keys: Vec<Key>| {
        keys.sort();
        keys
    };
    assert_eq!(
        sorted(order.clone()),
        sorted(python_order),
        "both programs cover the same cases"
    );
    // Each case's rows together, in the order the cases first appear.
    let mut cases: Vec<&String> = Vec::new();
    for (case, _) in &order {
        if !cases.contains(&case) {
            cases.push(case);
        }
    }
    let mut order = order.clone();
    order.sort_by_key(|(case, pool)| {
        (cases.iter().position(|c| *c == case), pool != "threads")
    });
    let mut text = String::from(
        "| Case | Pool | Python's `concurrent.futures` | The toolkit |\n|---|---|---|---|\n",
    );
    for key in order {
        let (case, pool) = &key;
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(case),
            pool,
            cell(&executors[&key]),
            cell(&toolkit[&key])
        ));
    }
    text
}

#[test]
fn the_chapters_table_is_made_from_checked_runs_of_rust_and_python() {
    let rust = Program::example("toolkit-cases").env("RUST_BACKTRACE", "0");
    let run = rust.run_ok();
    insta::assert_snapshot!("cases", normalize_rust(&run.stdout));
    check_recorded(&rust, RUST_RECORDED, normalize_rust, &run);

    if let Some(python) = Program::python("toolkit_cases.py") {
        let run = python.run_ok();
        let refusal =
            if python_version() >= (3, 13) { "Can't get" } else { "Can't pickle" };
        let expected = format!(
            "raises AttributeError: {refusal} local object 'process_cases.<locals>.times'"
        );
        assert!(run.stdout.contains(&expected), "{expected:?} in\n{}", run.stdout);
        check_recorded(&python, PYTHON_RECORDED, normalize_python, &run);
    }

    let root = workspace_root();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let made = table(&read(RUST_RECORDED), &read(PYTHON_RECORDED));
    if std::env::var_os(RECORD_OUTPUTS).is_some() {
        std::fs::write(root.join(TABLE), &made).unwrap();
    }
    assert!(
        read(TABLE) == made,
        "{TABLE} is not the table made from the recordings: {RECORD_OUTPUTS}=1 makes it again"
    );
}
