//! Checks for the benchmark programs, whose figures differ on every run: a
//! test asserts the shape of what they print and write (every column, every
//! row, positive speedups, a well-formed chart), never a time; and the book's
//! tables and charts must be exactly what the program makes of the recorded
//! figures (`--from-json`).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Program, TIMEOUT, workspace_root};

/// The command that records the benchmarks again, named in failure messages.
pub const RECORD_BENCHMARKS: &str = "scripts/record-benchmarks";

/// A Markdown table as printed by a benchmark: its header and its rows of cells.
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The first Markdown table in `output`.
    pub fn parse(output: &str) -> Table {
        let mut lines = output.lines().skip_while(|line| !line.starts_with('|'));
        let cells = |line: &str| -> Vec<String> {
            let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
            inner.split('|').map(|cell| cell.trim().to_owned()).collect()
        };
        let header =
            cells(lines.next().unwrap_or_else(|| panic!("no table in:\n{output}")));
        let rule = lines.next().expect("a rule under the header");
        assert!(
            rule.starts_with("|-") || rule.starts_with("|:") || rule.starts_with("|--")
        );
        let rows: Vec<Vec<String>> =
            lines.take_while(|line| line.starts_with('|')).map(cells).collect();
        for row in &rows {
            assert_eq!(row.len(), header.len(), "row {row:?} under {header:?}");
        }
        Table { header, rows }
    }

    /// The cells of the column named `name`.
    pub fn column(&self, name: &str) -> Vec<&str> {
        let index = self
            .header
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.header));
        self.rows.iter().map(|row| row[index].as_str()).collect()
    }
}

/// The number at the start of a cell ("0.123 s (1.95x)" gives 0.123).
pub fn value(cell: &str) -> f64 {
    let number = cell.split_whitespace().next().unwrap_or("");
    number
        .trim_end_matches('x')
        .parse()
        .unwrap_or_else(|_| panic!("no number in {cell:?}"))
}

/// The speedup in brackets at the end of a cell ("0.123 s (1.95x)" gives 1.95).
pub fn speedup(cell: &str) -> f64 {
    let bracket = cell.rsplit_once('(').map(|(_, rest)| rest.trim_end_matches(')'));
    let figure = bracket.and_then(|speedup| speedup.strip_suffix('x'));
    figure
        .and_then(|f| f.parse().ok())
        .unwrap_or_else(|| panic!("no speedup in {cell:?}"))
}

/// A path for a file (or folder) that a test writes, in a temporary folder of
/// its own that is removed, with whatever is in it, when this is dropped.
pub struct Scratch {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

/// A [`Scratch`] path named `name`, not created yet.
pub fn scratch(name: &str) -> Scratch {
    let dir = tempfile::Builder::new().prefix("example-harness-").tempdir().unwrap();
    let path = dir.path().join(name);
    Scratch { _dir: dir, path }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// An empty folder to give a run as its TMPDIR, to see what the run leaves in it.
pub fn empty_temp_dir(name: &str) -> Scratch {
    let dir = scratch(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts that a run left nothing in `temp`, its TMPDIR.
pub fn assert_left_nothing(temp: &Path) {
    let left: Vec<_> =
        std::fs::read_dir(temp).unwrap().flatten().map(|e| e.path()).collect();
    assert!(left.is_empty(), "the benchmark left {left:?} in its temporary directory");
}

/// Asserts that `path` holds a well-formed SVG document that mentions each of `texts`.
pub fn assert_valid_svg(path: &Path, texts: &[&str]) {
    let svg = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("no chart at {}: {err}", path.display()));
    let document = roxmltree::Document::parse(&svg)
        .unwrap_or_else(|err| panic!("{} is not well-formed XML: {err}", path.display()));
    assert_eq!(document.root_element().tag_name().name(), "svg", "{}", path.display());
    let shown: Vec<&str> =
        document.descendants().filter_map(|node| node.text()).collect();
    for text in texts {
        assert!(
            shown.iter().any(|shown| shown.contains(text)),
            "the chart {} never shows {text:?}",
            path.display()
        );
    }
}

/// Checks the book's table and chart of a benchmark: the program, given the
/// recorded figures (`json`), must print exactly the recorded `table` and
/// draw exactly the book's `svg` (all three paths relative to the workspace root).
pub fn check_recorded_benchmark(program: &Program, json: &str, table: &str, svg: &str) {
    let root = workspace_root();
    let drawn = scratch(&format!("{}.svg", program.label.replace('/', "-")));
    let json_path = root.join(json).to_string_lossy().into_owned();
    let run = program
        .clone()
        .arg("--from-json")
        .arg(&json_path)
        .arg("--svg")
        .arg(&drawn.to_string_lossy())
        .run_ok();
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
    };
    assert!(
        read(&root.join(table)) == run.stdout,
        "{table} is not what {} prints from {json} now; record again with \
         {RECORD_BENCHMARKS}\n--- recorded\n{}--- now\n{}",
        program.label,
        read(&root.join(table)),
        run.stdout
    );
    assert!(
        read(&root.join(svg)) == read(&drawn),
        "{svg} is not the chart {} draws from {json} now; record again with \
         {RECORD_BENCHMARKS}",
        program.label
    );
    assert_valid_svg(&root.join(svg), &[]);
}

/// Asserts that a benchmark refuses each of `cases` (arguments, and a piece
/// of the message it must give) with exit code 2, as clap does, and that a
/// missing `--from-json` file is an error (exit code 1) that names the file.
pub fn assert_bad_options(program: &Program, cases: &[(&[&str], &str)]) {
    for (args, message) in cases {
        let mut refused = program.clone();
        for arg in *args {
            refused = refused.arg(arg);
        }
        let run = refused.run();
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    let run = program.clone().arg("--from-json").arg("/nonexistent/run.json").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("cannot read /nonexistent/run.json"), "{}", run.stderr);
}

/// Starts `program` in a process group of its own (which the processes it
/// starts join), with stdout and stderr piped, to signal it while it runs.
pub fn spawn_in_group(program: &Program) -> Child {
    let mut command = Command::new(&program.program);
    command.args(&program.args).env_remove(crate::STEP_MS).process_group(0);
    command.envs(program.env.iter().map(|(key, value)| (key, value)));
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.spawn().unwrap_or_else(|err| panic!("cannot start {}: {err}", program.label))
}

/// The processes of process group `group` that have not ended (zombies have).
pub fn live_members(group: u32) -> Vec<u32> {
    let mut members = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the command name in parentheses: state, ppid, pgrp.
        let fields: Vec<&str> =
            stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        if fields[2] == group.to_string() && fields[0] != "Z" {
            members.push(pid);
        }
    }
    members
}

/// Waits until `done` is true; a test failure, naming `what`, after [`TIMEOUT`]
/// (a guard against a hang, not a measure of speed).
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !done() {
        assert!(Instant::now() < deadline, "waited {TIMEOUT:?} for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until every process of `group` has ended; if they have not after
/// [`TIMEOUT`], kills them (a failed test leaves nothing running) and fails.
pub fn assert_group_ends(group: u32, what: &str) {
    let deadline = Instant::now() + TIMEOUT;
    while !live_members(group).is_empty() {
        if Instant::now() > deadline {
            let left = live_members(group);
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(group.cast_signed()),
                nix::sys::signal::Signal::SIGKILL,
            );
            panic!(
                "{what} left processes {left:?} behind, still running after {TIMEOUT:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
