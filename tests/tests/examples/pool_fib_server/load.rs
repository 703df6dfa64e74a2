//! `pool-fib-server load`: its table, and the book's recording of it.
//!
//! The numbers are the machine's business; the shape is the program's: the
//! machine line, the description, the header, one row per mode in order. The
//! check compares a small live run with the recording, every number replaced
//! by `#`.
//!
//! RECORDED: the book's table is a release-build run with the defaults, made with
//!     cargo run --release -p pool-fib-server -- load > examples-pools/pool-fib-server/recorded/load.txt

use example_harness::{Program, workspace_root};

const BIN: &str = "pool-fib-server";
const RECORDED: &str = "examples-pools/pool-fib-server/recorded/load.txt";

/// Every number becomes `#`, and the machine line loses its CPU model.
fn shape(output: &str) -> String {
    let mut shaped = String::new();
    for line in output.lines() {
        if line.starts_with("machine: ") {
            shaped.push_str("machine: [MACHINE]\n");
            continue;
        }
        let mut in_number = false;
        for c in line.chars() {
            if c.is_ascii_digit() || (in_number && c == '.') {
                if !in_number {
                    shaped.push('#');
                }
                in_number = true;
            } else {
                in_number = false;
                shaped.push(c);
            }
        }
        shaped.push('\n');
    }
    shaped
}

#[test]
fn shape_keeps_words_and_replaces_numbers() {
    assert_eq!(
        shape("| inline | 1 | 1039.5 ms | p99 |\n"),
        "| inline | # | # ms | p# |\n"
    );
    assert_eq!(shape("machine: 2 cores, CPU 9000\n"), "machine: [MACHINE]\n");
}

#[test]
fn load_prints_one_row_per_mode_shaped_like_the_books_table() {
    let run = Program::example(BIN).args_for_load().run_ok();
    let rows: Vec<&str> =
        run.stdout.lines().filter(|line| line.starts_with("| ")).collect();
    let modes: Vec<&str> =
        rows.iter().map(|row| row.split(" | ").next().unwrap()).collect();
    assert_eq!(
        modes,
        ["| mode", "| inline", "| threads", "| processes"],
        "{}",
        run.stdout
    );
    for row in &rows[1..] {
        let answers: usize = row.split(" | ").nth(1).unwrap().parse().unwrap();
        assert!(answers >= 1, "every mode answers /health at least once: {row}");
    }
    let recorded = std::fs::read_to_string(workspace_root().join(RECORDED)).unwrap();
    assert_eq!(
        shape(&recorded),
        shape(&run.stdout),
        "{RECORDED} no longer has the shape of what `load` prints: record it again \
         with the command in this file's comment"
    );
}

trait LoadArgs {
    fn args_for_load(self) -> Self;
}

impl LoadArgs for Program {
    /// A small run: quick requests, so the test takes well under a second.
    fn args_for_load(self) -> Self {
        self.arg("load").arg("--n").arg("25").arg("--slow").arg("2")
    }
}
