//! The test harness every example's tests use.
//!
//! Concurrent programs do not print the same thing twice, so a test here does
//! three things with one run of the real program:
//!
//! 1. asserts the orderings the program guarantees ([`assert_in_order`]), and
//!    nothing the scheduler decides;
//! 2. snapshots a normalized form in which the scheduler's choices are removed
//!    ([`group_by_label`], [`without_lines`]), with `insta`;
//! 3. checks that the output recorded for the book normalizes to the same form
//!    ([`check_recorded`]), so the book cannot drift from the code.
//!
//! Programs run with a short step ([`TEST_STEP_MS`]) and a timeout, so a hang
//! is a failure with a message instead of a stuck test run.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

pub mod bench;
pub mod takeaway;
pub mod timeline;

/// The variable every paced example reads for the length of a step, in milliseconds.
pub const STEP_MS: &str = "STEP_MS";

/// The step used in tests: long enough to be seen in a trace, short enough for
/// the whole suite to run in seconds.
pub const TEST_STEP_MS: u64 = 20;

/// How long any one program may run in a test before it counts as hung.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Set this variable to rewrite the recorded outputs from fresh runs at the
/// human pace: `RECORD_OUTPUTS=1 cargo test -p thread-join`.
pub const RECORD_OUTPUTS: &str = "RECORD_OUTPUTS";

/// Set this variable to make a missing `python3` a failure instead of a skip (CI sets it).
pub const REQUIRE_PYTHON: &str = "REQUIRE_PYTHON";

/// The workspace's root directory, where `python/`, `book/` and the examples live.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness lives one level below the workspace root")
        .to_path_buf()
}

/// The path of an example's binary, built in this workspace.
///
/// The examples' tests live here, not in the examples (a reader who copies an
/// example takes no test harness along), so cargo does not build the example
/// binaries for them: the first call builds every binary of the workspace, in
/// the target directory and profile of this test run, and later calls reuse it.
pub fn example_binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        signals_as_from_a_terminal();
        build_workspace_binaries()
    });
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "no binary {name} in {}: is it a workspace member?",
        dir.display()
    );
    path
}

/// The directory of this test run's profile: `<target>/debug` or `<target>/release`.
fn profile_dir() -> PathBuf {
    // This test binary is <target>/<profile>/deps/<name>-<hash>.
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent().and_then(Path::parent).expect("<target>/<profile>/deps").to_path_buf()
}

/// The target directory of this test run.
pub fn target_dir() -> PathBuf {
    profile_dir().parent().expect("<target>/<profile>").to_path_buf()
}

/// Gives SIGINT, SIGQUIT and SIGTERM back their default action in this test
/// process, and so in every program it starts.
///
/// A shell starts a background job (`cargo test &`, a CI runner's script)
/// with SIGINT and SIGQUIT ignored, and an ignored signal stays ignored
/// across `exec`: every example would then shrug off the Ctrl-C that a test
/// sends it, as no reader's terminal ever would, and the test would hang or
/// pass for the wrong reason. Called before the first program starts.
pub fn signals_as_from_a_terminal() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        for which in [Signal::SIGINT, Signal::SIGQUIT, Signal::SIGTERM] {
            // SAFETY: SIG_DFL installs no handler, so no code of ours runs in
            // signal context; the test harness installs no handler of its own.
            unsafe { signal(which, SigHandler::SigDfl) }.expect("a valid signal");
        }
    });
}

/// Runs `cargo build --workspace --bins` and returns where the binaries are.
fn build_workspace_binaries() -> PathBuf {
    let profile_dir = profile_dir();
    let profile = profile_dir.file_name().unwrap().to_string_lossy().into_owned();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    command
        .args(["build", "--workspace", "--bins", "--quiet"])
        .current_dir(workspace_root())
        .env("CARGO_TARGET_DIR", target_dir());
    match profile.as_str() {
        "debug" => {}
        "release" => drop(command.arg("--release")),
        other => drop(command.args(["--profile", other])),
    }
    let status = command.status().expect("cannot run cargo to build the examples");
    assert!(status.success(), "building the examples failed: {status}");
    profile_dir
}

/// A program to run: an example binary or a Python counterpart, with its arguments.
#[derive(Clone, Debug)]
pub struct Program {
    label: String,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    step_ms: Option<u64>,
}

impl Program {
    /// The workspace's build of the example (or other binary) `name`.
    pub fn example(name: &str) -> Self {
        Program::binary(&example_binary(name).to_string_lossy())
    }

    /// A binary at `path`, such as an example built outside the workspace.
    pub fn binary(path: &str) -> Self {
        let label = Path::new(path)
            .file_name()
            .map_or_else(|| path.to_owned(), |name| name.to_string_lossy().into_owned());
        Program {
            label,
            program: PathBuf::from(path),
            args: Vec::new(),
            env: Vec::new(),
            step_ms: Some(TEST_STEP_MS),
        }
    }

    /// A script in `python/`, run with `python3`; `None` (with a note on stderr)
    /// when `python3` is not installed, unless [`REQUIRE_PYTHON`] is set.
    pub fn python(script: &str) -> Option<Self> {
        signals_as_from_a_terminal();
        if !python_available() {
            assert!(
                std::env::var_os(REQUIRE_PYTHON).is_none(),
                "{REQUIRE_PYTHON} is set but python3 cannot be run"
            );
            eprintln!(
                "SKIPPED: python3 is not installed, so python/{script} was not run"
            );
            return None;
        }
        let path = workspace_root().join("python").join(script);
        assert!(path.is_file(), "no Python counterpart at {}", path.display());
        Some(Program {
            label: format!("python/{script}"),
            program: PathBuf::from("python3"),
            args: vec![path.to_string_lossy().into_owned()],
            env: Vec::new(),
            step_ms: Some(TEST_STEP_MS),
        })
    }

    /// Adds a command-line argument.
    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(arg.to_owned());
        self
    }

    /// Sets an environment variable for the run (it wins over the step).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Runs with this step instead of [`TEST_STEP_MS`]; a long step lets a test
    /// rely on "this cannot happen before the program ends" with a wide margin.
    pub fn step_ms(mut self, millis: u64) -> Self {
        self.step_ms = Some(millis);
        self
    }

    /// Runs at the human pace, as a reader would (no `STEP_MS`).
    pub fn at_human_pace(mut self) -> Self {
        self.step_ms = None;
        self
    }

    /// Runs the program to the end and returns what it printed, whatever its
    /// exit status, and when each line of its stdout arrived.
    ///
    /// A program still running after [`TIMEOUT`] is killed (its code is then
    /// `None`), so a hang is a failure with a message, not a stuck test run.
    pub fn run(&self) -> Run {
        let mut command = self.command();
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("could not start {}: {err}", self.label));
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        // Both pipes are read at once, or a program that fills one while the
        // test waits on the other would stall.
        let lines = thread::spawn(move || read_timed_lines(stdout, started));
        let errors = thread::spawn(move || {
            let mut bytes = Vec::new();
            stderr.read_to_end(&mut bytes).map(|_| bytes)
        });
        let status = loop {
            match child.try_wait().expect("waiting for the program") {
                Some(status) => break status,
                None if started.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    break child.wait().expect("waiting for the killed program");
                }
                // Polling costs a system call every few milliseconds; the
                // moments that matter, the lines, are taken as they arrive.
                None => thread::sleep(Duration::from_millis(5)),
            }
        };
        let (stdout, times, ended_ms) = lines.join().unwrap().expect("reading stdout");
        let stderr = errors.join().unwrap().expect("reading stderr");
        let output = Output { status, stdout, stderr };
        let mut run = Run::new(self.describe(), output);
        run.times = times;
        run.ended_ms = ended_ms;
        run
    }

    /// Runs the program and fails the test unless it exits successfully.
    pub fn run_ok(&self) -> Run {
        let run = self.run();
        assert_eq!(
            run.code,
            Some(0),
            "{} failed\n--- stdout\n{}--- stderr\n{}",
            run.label,
            run.stdout,
            run.stderr
        );
        run
    }

    fn describe(&self) -> String {
        let mut text = self.label.clone();
        for arg in self.args.iter().skip(usize::from(self.label.starts_with("python/"))) {
            text.push(' ');
            text.push_str(arg);
        }
        text
    }
}

/// The version of `python3` the Python counterparts run on, as (major, minor):
/// CI runs them on each CPython present (`PYENV_VERSION=3.12.1 cargo test`),
/// and a test asserts per version what really differs between versions.
pub fn python_version() -> (u32, u32) {
    static VERSION: OnceLock<(u32, u32)> = OnceLock::new();
    *VERSION.get_or_init(|| {
        let output = std::process::Command::new("python3")
            .args(["-c", "import sys; print(*sys.version_info[:2])"])
            .output()
            .expect("python3 runs");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let mut numbers = text.split_whitespace().map(|n| n.parse().expect("a number"));
        (numbers.next().expect("major"), numbers.next().expect("minor"))
    })
}

fn python_available() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The program and its arguments, for messages.
    pub label: String,
    pub stdout: String,
    pub stderr: String,
    /// The exit code; `None` when a signal ended it (a timeout kills it with SIGKILL).
    pub code: Option<i32>,
    /// When each line of stdout arrived, in milliseconds after the program was
    /// started: one for each of [`Run::lines`], in order.
    pub times: Vec<f64>,
    /// When its stdout closed, in milliseconds after the start: the end of the run.
    pub ended_ms: f64,
}

impl Run {
    fn new(label: String, output: Output) -> Self {
        Run {
            label,
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
            code: output.status.code(),
            times: Vec::new(),
            ended_ms: 0.0,
        }
    }

    /// The lines of stdout.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// Reads `stdout` to its end, noting when each line arrived (a piece left
/// without a newline at the end counts as a line), in milliseconds after
/// `started`, rounded to a tenth; and when the stream closed.
fn read_timed_lines(
    stdout: impl Read,
    started: Instant,
) -> std::io::Result<(Vec<u8>, Vec<f64>, f64)> {
    let since_start = || (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
    let mut reader = BufReader::new(stdout);
    let (mut bytes, mut times) = (Vec::new(), Vec::new());
    loop {
        let read = reader.read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok((bytes, times, since_start()));
        }
        times.push(since_start());
    }
}

/// Asserts that every one of `expected` is a whole line of `output`, in this
/// order (other lines may come between them).
pub fn assert_in_order(output: &str, expected: &[&str]) {
    let lines: Vec<&str> = output.lines().collect();
    let mut from = 0;
    for wanted in expected {
        match lines[from..].iter().position(|line| line == wanted) {
            Some(offset) => from += offset + 1,
            None if lines.contains(wanted) => panic!(
                "{wanted:?} is printed, but not after {:?} as it must be\n--- output\n{output}",
                lines[from - 1]
            ),
            None => panic!("{wanted:?} is never printed\n--- output\n{output}"),
        }
    }
}

/// The guarantees of the first article's foo/bar program once both are joined,
/// with threads or processes, in Rust or Python: each counts in order, "foo
/// finish" after foo's last step, "bar finish" last. `extra` lines (say, PIDs)
/// may come before the counting.
pub fn assert_foo_bar_joined(output: &str, extra: usize) {
    assert_in_order(output, &["foo 0", "foo 1", "foo 2", "foo finish"]);
    assert_in_order(output, &["bar 0", "bar 1", "bar 2", "bar 3", "bar 4", "bar finish"]);
    assert_in_order(output, &["foo finish", "bar finish"]);
    assert_eq!(output.lines().count(), 10 + extra, "{output}");
    assert_eq!(output.lines().last(), Some("bar finish"), "{output}");
}

/// The guarantees of the guide's numbers-and-letters program, with threads or
/// processes: each sequence in order, and the two overlapping in time.
///
/// The overlap check needs a step of about 300 ms: the second worker would
/// have to start more than a second late for its first line to miss the first
/// worker's last, and a worker started at once is never held back that long.
/// Running the two one after the other fails it every time.
pub fn assert_numbers_letters_interleaved(output: &str) {
    let numbers = ["Number: 1", "Number: 2", "Number: 3", "Number: 4", "Number: 5"];
    let letters = ["Letter: a", "Letter: b", "Letter: c", "Letter: d", "Letter: e"];
    assert_in_order(output, &numbers);
    assert_in_order(output, &letters);
    assert_eq!(output.lines().count(), 10, "{output}");
    assert_in_order(output, &["Letter: a", "Number: 5"]);
    assert_in_order(output, &["Number: 1", "Letter: e"]);
}

/// Asserts that no line of `output` is any of `forbidden`.
pub fn assert_absent(output: &str, forbidden: &[&str]) {
    for line in output.lines() {
        assert!(
            !forbidden.contains(&line),
            "{line:?} must not be printed\n--- output\n{output}"
        );
    }
}

// ANCHOR: group_by_label
/// Removes the order the scheduler chose between workers: the lines whose
/// label (as `label_of` sees it) is in `labels` are grouped by label, in the
/// order of `labels`, each group keeping its own order; other lines follow in
/// their own order.
pub fn group_by_label<'a>(
    output: &'a str,
    labels: &[&str],
    label_of: impl Fn(&'a str) -> &'a str,
) -> String {
    let mut groups: Vec<Vec<&str>> = vec![Vec::new(); labels.len() + 1];
    for line in output.lines() {
        let label = label_of(line);
        let index = labels.iter().position(|l| *l == label).unwrap_or(labels.len());
        groups[index].push(line);
    }
    join_lines(groups.into_iter().flatten())
}
// ANCHOR_END: group_by_label

/// The first word of a line, the usual label of a worker's line.
pub fn first_word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// Drops the lines for which `drop` is true: lines that may or may not be printed.
pub fn without_lines(output: &str, drop: impl Fn(&str) -> bool) -> String {
    join_lines(output.lines().filter(|line| !drop(line)))
}

/// Replaces every process ID ("pid 1234") by "pid [PID]": PIDs differ on every run.
pub fn redact_pids(output: &str) -> String {
    let mut redacted = String::with_capacity(output.len());
    let mut last = 0;
    for (start, end) in pid_spans(output) {
        redacted.push_str(&output[last..start]);
        redacted.push_str("[PID]");
        last = end;
    }
    redacted.push_str(&output[last..]);
    redacted
}

/// The process IDs a run printed ("pid 1234"), in order.
pub fn pids(output: &str) -> Vec<u32> {
    pid_spans(output).map(|(start, end)| output[start..end].parse().unwrap()).collect()
}

/// Where the digits after each whole word "pid " are.
fn pid_spans(output: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    output.match_indices("pid ").filter_map(|(at, word)| {
        let whole_word = !output[..at].ends_with(|c: char| c.is_alphanumeric());
        let start = at + word.len();
        let digits = output[start..].len()
            - output[start..].trim_start_matches(|c: char| c.is_ascii_digit()).len();
        (whole_word && digits > 0).then_some((start, start + digits))
    })
}

fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines.map(|line| format!("{line}\n")).collect()
}

/// Checks the output recorded for the book (a file under the workspace root)
/// against a run of the program made now, after normalizing both.
///
/// With [`RECORD_OUTPUTS`] set, it first records the file again from a run at
/// the human pace, so what the book shows is a real run, as a reader sees it.
pub fn check_recorded(
    program: &Program,
    recorded: &str,
    normalize: impl Fn(&str) -> String,
    now: &Run,
) {
    if std::env::var_os(RECORD_OUTPUTS).is_some() {
        record(program, recorded);
    }
    compare_recorded(recorded, normalize, now);
}

/// Runs `program` at the human pace and writes what it printed to `recorded`
/// (under the workspace root); returns the run.
fn record(program: &Program, recorded: &str) -> Run {
    let path = workspace_root().join(recorded);
    let run = program.clone().at_human_pace().run();
    std::fs::write(&path, &run.stdout)
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
    run
}

/// The recorded output and a run made now must normalize to the same text.
fn compare_recorded(recorded: &str, normalize: impl Fn(&str) -> String, now: &Run) {
    let text = read_recorded(recorded);
    let (book, current) = (normalize(&text), normalize(&now.stdout));
    assert!(
        book == current,
        "the book's recorded output {recorded} no longer matches what {} prints.\n\
         If the change is intended, record it again: {RECORD_OUTPUTS}=1 cargo test\n\
         --- recorded, normalized\n{book}--- now, normalized\n{current}",
        now.label
    );
}

/// A recorded file (a path under the workspace root), or a failure that says how to make it.
fn read_recorded(recorded: &str) -> String {
    let path = workspace_root().join(recorded);
    std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "cannot read the recorded output {recorded}: {err}\n\
             record it with: {RECORD_OUTPUTS}=1 cargo test"
        )
    })
}

impl Program {
    /// The program as a `std::process::Command` with its arguments and
    /// environment, for a test that drives a program itself instead of
    /// running it to the end (a server, say).
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(&self.program);
        command.args(&self.args).env_remove(STEP_MS);
        if let Some(millis) = self.step_ms {
            command.env(STEP_MS, millis.to_string());
        }
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "foo 0\nbar 0\nfoo 1\nbar 1\nfoo finish\nbar finish\n";

    #[test]
    fn finds_lines_in_order_with_others_between() {
        assert_in_order(OUTPUT, &["foo 0", "foo 1", "foo finish"]);
    }

    #[test]
    #[should_panic(expected = "not after")]
    fn reports_lines_out_of_order() {
        assert_in_order(OUTPUT, &["foo finish", "foo 1"]);
    }

    #[test]
    #[should_panic(expected = "never printed")]
    fn reports_missing_lines() {
        assert_in_order(OUTPUT, &["foo 2"]);
    }

    #[test]
    fn groups_workers_and_keeps_each_order() {
        let grouped = group_by_label(OUTPUT, &["foo", "bar"], first_word);
        assert_eq!(grouped, "foo 0\nfoo 1\nfoo finish\nbar 0\nbar 1\nbar finish\n");
        let swapped = "bar 0\nfoo 0\nfoo 1\nbar 1\nfoo finish\nbar finish\n";
        assert_eq!(group_by_label(swapped, &["foo", "bar"], first_word), grouped);
    }

    #[test]
    fn unlabelled_lines_come_last_in_their_order() {
        let grouped = group_by_label("x\nbar 0\ny\nfoo 0\n", &["foo", "bar"], first_word);
        assert_eq!(grouped, "foo 0\nbar 0\nx\ny\n");
    }

    #[test]
    fn redacts_and_reads_pids() {
        let text = "main process: pid 41\nfoo runs in pid 42, bar in pid 43\nrapid 7\n";
        assert_eq!(
            redact_pids(text),
            "main process: pid [PID]\nfoo runs in pid [PID], bar in pid [PID]\nrapid 7\n"
        );
        assert_eq!(pids(text), [41, 42, 43]);
    }

    #[test]
    fn a_run_notes_when_each_line_arrived() {
        let run = Program::binary("sh")
            .arg("-c")
            .arg("echo first; sleep 0.3; printf 'second\\nno newline'")
            .run_ok();
        assert_eq!(run.lines(), ["first", "second", "no newline"]);
        assert_eq!(run.times.len(), 3);
        // The second line is written after a sleep of 300 ms, which waits at
        // least that long: a lower bound from the start, never a limit. (Not
        // from the first line: that one may reach the reader late.)
        assert!(run.times[1] >= 300.0, "{:?}", run.times);
        assert!(run.times[1] <= run.times[2] && run.times[2] <= run.ended_ms);
    }

    #[test]
    fn drops_optional_lines() {
        assert_eq!(
            without_lines(OUTPUT, |l| l.starts_with("bar")),
            "foo 0\nfoo 1\nfoo finish\n"
        );
    }
}

/// How a run read by `head` ended: the lines `head` kept, and what the program
/// said on stderr afterwards.
#[derive(Debug)]
pub struct HeadRun {
    pub label: String,
    pub lines: Vec<String>,
    pub stderr: String,
    pub status: std::process::ExitStatus,
    /// Processes of the program's group still alive a while after it ended.
    pub left_behind: Vec<u32>,
}

impl HeadRun {
    /// Asserts the quiet end a shell pipeline expects: exit 0 or SIGPIPE,
    /// nothing on stderr, no process of the program's left running.
    pub fn assert_quiet(&self) {
        use std::os::unix::process::ExitStatusExt;
        const SIGPIPE: i32 = 13;
        assert!(
            self.status.success() || self.status.signal() == Some(SIGPIPE),
            "{} | head ended with {}: {}",
            self.label,
            self.status,
            self.stderr
        );
        assert!(self.stderr.is_empty(), "{} | head said:\n{}", self.label, self.stderr);
        assert!(
            self.left_behind.is_empty(),
            "{} left {:?} behind",
            self.label,
            self.left_behind
        );
    }
}

impl Program {
    /// Runs the program as `program | head -n <lines>` would: its stdout is a
    /// pipe whose reader takes `lines` lines and then closes it, so that every
    /// later write, by the program or by any child sharing its stdout, fails.
    pub fn run_into_head(&self, lines: usize) -> HeadRun {
        use std::io::{BufRead, BufReader, Read};
        use std::os::unix::process::CommandExt;
        use std::process::{Command, Stdio};

        let mut command = Command::new(&self.program);
        command.args(&self.args).env_remove(STEP_MS).process_group(0);
        if let Some(millis) = self.step_ms {
            command.env(STEP_MS, millis.to_string());
        }
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("could not start {}: {err}", self.label));
        let group = child.id();
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            stderr.read_to_string(&mut text).map(|_| text)
        });
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut kept = Vec::new();
        for _ in 0..lines {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            kept.push(line.trim_end_matches('\n').to_owned());
        }
        drop(reader); // what head does once it has its lines
        let status = wait_or_kill(&mut child, TIMEOUT, &self.label);
        let stderr = stderr.join().unwrap().expect("stderr is UTF-8");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !live_members_of_group(group).is_empty()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        HeadRun {
            label: self.describe(),
            lines: kept,
            stderr,
            status,
            left_behind: live_members_of_group(group),
        }
    }
}

/// Waits for `child`, killing it (and failing the test) after `limit`.
fn wait_or_kill(
    child: &mut std::process::Child,
    limit: Duration,
    label: &str,
) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{label} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The processes of process group `group` that have not ended (zombies have).
pub fn live_members_of_group(group: u32) -> Vec<u32> {
    live_processes()
        .into_iter()
        .filter(|process| process.group == group)
        .map(|p| p.pid)
        .collect()
}

/// One line of `/proc/<pid>/stat`, the fields a test needs.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessInfo {
    pub pid: u32,
    pub parent: u32,
    pub group: u32,
    /// When it started, in clock ticks since boot: with the PID, it names one
    /// process even if the PID is used again later.
    pub start_time: u64,
}

/// Every process on the machine that has not ended (zombies have).
pub fn live_processes() -> Vec<ProcessInfo> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return found };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some(info) = process_info(pid) {
            found.push(info);
        }
    }
    found
}

/// The process `pid`, if it is alive (not a zombie).
pub fn process_info(pid: u32) -> Option<ProcessInfo> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name in parentheses: state, ppid, pgrp, ... starttime (the 20th).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    if fields.first() == Some(&"Z") || fields.first() == Some(&"X") {
        return None;
    }
    Some(ProcessInfo {
        pid,
        parent: fields.get(1)?.parse().ok()?,
        group: fields.get(2)?.parse().ok()?,
        start_time: fields.get(19)?.parse().ok()?,
    })
}

impl Program {
    /// Another binary of the same package (a `src/bin/<name>.rs`), built in the
    /// same folder as this one: in the workspace, or in a copy taken out of it,
    /// so that a `check_copy` can run an example's variants too. It starts with
    /// the test pace, like any new [`Program`].
    pub fn sibling(&self, name: &str) -> Program {
        Program::binary(&self.program.with_file_name(name).to_string_lossy())
    }
}

/// The first article's `map(square, 1..=10)` on a pool of `workers` threads or
/// processes, in Rust or Python: what it guarantees.
///
/// Each job prints `start square(N)` and `finish square(N)`, once and in that
/// order; a worker prints a job's finish before it takes another job, so the
/// output never shows more than `workers` jobs between their two lines (with
/// ten jobs and eight workers, at least two start after another finished);
/// and once every job has finished, the ten squares in input order, then
/// `Finish`.
pub fn assert_squares_mapped(output: &str, workers: usize) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 22, "{output}");
    assert_eq!(lines[20], "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]", "{output}");
    assert_eq!(lines[21], "Finish", "{output}");
    let mut started = [false; 11];
    let mut finished = [false; 11];
    let mut open = 0;
    for line in &lines[..20] {
        let job = |prefix: &str| -> Option<usize> {
            let number = line.strip_prefix(prefix)?.strip_suffix(')')?.parse().ok()?;
            (1..=10).contains(&number).then_some(number)
        };
        if let Some(job) = job("start square(") {
            assert!(!started[job], "square({job}) starts twice\n{output}");
            started[job] = true;
            open += 1;
        } else if let Some(job) = job("finish square(") {
            assert!(started[job] && !finished[job], "{line} out of turn\n{output}");
            finished[job] = true;
            open -= 1;
        } else {
            panic!("not a job line: {line:?}\n{output}");
        }
        assert!(open <= workers, "{open} jobs running at {line:?}\n{output}");
    }
}

/// The map's output without what the scheduler decides (the order in which
/// the jobs start and finish): per job, in job order, what it did, then the
/// other lines as printed.
pub fn squares_by_job(output: &str) -> String {
    let mut jobs = vec![Vec::new(); 11];
    let mut other = String::new();
    for line in output.lines() {
        let job = |prefix: &str| -> Option<usize> {
            line.strip_prefix(prefix)?
                .strip_suffix(')')?
                .parse()
                .ok()
                .filter(|n| *n <= 10)
        };
        match (job("start square("), job("finish square(")) {
            (Some(job), _) => jobs[job].push("started"),
            (_, Some(job)) => jobs[job].push("finished"),
            _ => other += &format!("{line}\n"),
        }
    }
    let per_job: String = (1..=10)
        .map(|job| format!("square({job}): {}\n", jobs[job].join(", ")))
        .collect();
    per_job + &other
}
