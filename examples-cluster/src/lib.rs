//! Runs the MPI examples under `mpirun` in tests.
//!
//! The root harness (`example-harness`) runs a program and checks what it
//! printed; this crate adds what MPI needs around it:
//!
//! - [`Mpi::new`] finds `mpirun`, or says the test was skipped (a failure
//!   when [`REQUIRE_MPI`] is set, as CI sets it);
//! - [`Mpi::program`] is `mpirun -np N <program>` with what Open MPI needs on
//!   a test machine: permission to run as root, more ranks than cores, and
//!   its scratch files (session directory, shared-memory segments) in a
//!   directory of the test's own that is removed when the test ends, even
//!   when a rank was killed before it could clean up;
//! - [`example`] builds the cluster workspace's binaries once per test run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use example_harness::Program;

/// Set this variable to make a missing `mpirun` or mpi4py a failure instead of a skip (CI sets it).
pub const REQUIRE_MPI: &str = "REQUIRE_MPI";

/// The cluster workspace's root: `examples-cluster/`.
pub fn cluster_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The path of one of the cluster workspace's binaries, built on first use.
pub fn example(name: &str) -> String {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        // The test binary is target/<profile>/deps/<name>: the examples are
        // built into target/<profile>, with the same profile and target dir.
        let exe = std::env::current_exe().expect("the test binary has a path");
        let profile_dir =
            exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
        let mut build = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()));
        build.current_dir(cluster_root()).args(["build", "--quiet", "--bins"]);
        build.args(["-p", "cluster-sum", "-p", "cluster-pool-map"]);
        if profile_dir.file_name().is_some_and(|name| name == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo can be run");
        assert!(status.success(), "building the cluster examples failed");
        profile_dir.to_path_buf()
    });
    let path = dir.join(name);
    assert!(path.is_file(), "no binary {}", path.display());
    path.to_string_lossy().into_owned()
}

/// Where a program is on `PATH`, if it is.
pub fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|path| path.is_file())
}

/// Prints why a test was skipped, or fails it when [`REQUIRE_MPI`] is set.
pub fn skip(why: &str) {
    assert!(std::env::var_os(REQUIRE_MPI).is_none(), "{REQUIRE_MPI} is set, but {why}");
    eprintln!("SKIPPED: {why}");
}

/// Open MPI, ready to start programs, with a scratch directory of its own.
pub struct Mpi {
    scratch: tempfile::TempDir,
}

impl Mpi {
    /// `None`, with a note on stderr, when `mpirun` is not installed.
    pub fn new() -> Option<Self> {
        if on_path("mpirun").is_none() {
            skip(
                "mpirun is not installed (Open MPI: see the README's setup), so the MPI examples were not run",
            );
            return None;
        }
        // Under target/tmp rather than /tmp: a test run that is killed
        // outright leaves it in the build directory, not on the machine.
        let exe = std::env::current_exe().expect("the test binary has a path");
        let target = exe.ancestors().nth(3).expect("target/<profile>/deps/<test>");
        let tmp = target.join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let scratch =
            tempfile::Builder::new().prefix("cluster-tests-").tempdir_in(tmp).unwrap();
        Some(Mpi { scratch })
    }

    /// `mpirun -np <ranks> <program>`, the program given as a path or a command on `PATH`.
    pub fn program(&self, ranks: u32, program: &str) -> Program {
        // By name, not by its full path: started as /usr/bin/mpirun, Open MPI
        // puts /usr/bin first on the ranks' PATH, which hides pyenv's python3.
        self.environment(Program::binary("mpirun"))
            // Three ranks on a two-core machine: allow more ranks than cores.
            .arg("--oversubscribe")
            .arg("-np")
            .arg(&ranks.to_string())
            .arg(program)
    }

    /// The program started without `mpirun`, as `cargo run` starts it: a
    /// world of one rank.
    pub fn alone(&self, program: Program) -> Program {
        self.environment(program)
    }

    fn environment(&self, program: Program) -> Program {
        let scratch = self.scratch.path().to_string_lossy().into_owned();
        program
            // Open MPI refuses to run as root (CI's user) without both.
            .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
            .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
            // Its session directory, and the shared-memory segments a killed
            // rank leaves behind, go where the test removes them.
            .env("TMPDIR", &scratch)
            .env("OMPI_MCA_btl_vader_backing_directory", &scratch)
            // A panic's message must not depend on the tester's environment.
            .env("RUST_BACKTRACE", "0")
    }

    /// `mpirun -np <ranks> python3 python/<script>`: `None`, with a note, when
    /// python3 or its mpi4py is missing (a failure under [`REQUIRE_MPI`] or `REQUIRE_PYTHON`).
    pub fn python(&self, ranks: u32, script: &str) -> Option<Program> {
        let version = python_with_mpi4py()?;
        eprintln!("running python/{script} on {version}");
        let path = example_harness::workspace_root().join("python").join(script);
        Some(self.program(ranks, "python3").arg(&path.to_string_lossy()))
    }
}

/// The Python and mpi4py versions that `python3` runs, once per test run;
/// `None` with a note when either is missing.
pub fn python_with_mpi4py() -> Option<String> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    let found = VERSION.get_or_init(|| {
        let probe = "import platform, mpi4py; \
                     print('Python', platform.python_version(), 'with mpi4py', mpi4py.__version__)";
        match Command::new("python3").args(["-c", probe]).output() {
            Err(_) => Err("python3 is not installed".to_owned()),
            Ok(out) if out.status.success() => {
                Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
            }
            Ok(_) => Err("python3 cannot import mpi4py (see the README's setup)".to_owned()),
        }
    });
    match found {
        Ok(version) => Some(version.clone()),
        Err(why) => {
            let python_required =
                std::env::var_os(example_harness::REQUIRE_PYTHON).is_some();
            assert!(
                !python_required || why.contains("mpi4py"),
                "REQUIRE_PYTHON is set, but {why}"
            );
            skip(&format!("{why}, so the mpi4py counterparts were not run"));
            None
        }
    }
}

/// cluster-pool-map's output without what the scheduler decides: which rank
/// squared which number is whoever asked first, so the rank is removed and
/// the job lines put in input order.
pub fn by_number(output: &str) -> String {
    let mut jobs: Vec<(u64, String)> = Vec::new();
    let mut rest = String::new();
    for line in output.lines() {
        match line.split_once(" squared ") {
            Some((_, job)) if line.starts_with("rank ") => {
                let number =
                    job.split(':').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                jobs.push((number, format!("rank [R] squared {job}\n")));
            }
            _ => rest.push_str(&format!("{line}\n")),
        }
    }
    jobs.sort();
    jobs.into_iter().map(|(_, line)| line).collect::<String>() + &rest
}

/// The processes whose environment holds `marker` (a `NAME=value`): those
/// that a run started, however deep, since every child inherits it.
pub fn processes_with(marker: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let marker = marker.as_bytes();
    (entries.flatten())
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let environ =
                std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            environ.split(|&byte| byte == 0).any(|variable| variable == marker)
        })
        .collect()
}

/// Replaces every run of digits after `word` by `[label]`: `redact("pid 42", "pid ", "PID")`.
pub fn redact(text: &str, word: &str, label: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let after = at + word.len();
        let digits = rest[after..].len()
            - rest[after..].trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..after]);
        if digits > 0 {
            out.push_str(&format!("[{label}]"));
        }
        rest = &rest[after + digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_numbers_after_a_word_only() {
        assert_eq!(redact("rank 2 squared 3: 9", "rank ", "R"), "rank [R] squared 3: 9");
        assert_eq!(
            redact("(pid 41) and pid 7", "pid ", "PID"),
            "(pid [PID]) and pid [PID]"
        );
        assert_eq!(redact("pid x", "pid ", "PID"), "pid x");
    }
}

/// Recorded runs whose standard error and exit code are part of the lesson.
pub mod transcript {
    use example_harness::{Program, Run, workspace_root};

    /// A run as the book shows it: what it printed on stdout, then on
    /// stderr, then how it ended.
    pub fn of(run: &Run) -> String {
        let code = run
            .code
            .map_or("none: killed by a signal".to_owned(), |code| code.to_string());
        format!("{}--- stderr\n{}--- exit code {code}\n", run.stdout, run.stderr)
    }

    /// [`example_harness::check_recorded`] for a whole transcript: compares the
    /// recorded file (a path from the root workspace) with `now`, both
    /// normalized; with `RECORD_OUTPUTS` set, first records it again from a
    /// run at the human pace (one second a step).
    pub fn check(
        program: &Program,
        recorded: &str,
        normalize: impl Fn(&str) -> String,
        now: &Run,
    ) {
        let path = workspace_root().join(recorded);
        if std::env::var_os("RECORD_OUTPUTS").is_some() {
            let run = program.clone().step_ms(1000).run();
            std::fs::write(&path, of(&run)).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
            panic!("cannot read {recorded}: {err}; record it with RECORD_OUTPUTS=1")
        });
        let (book, current) = (normalize(&text), normalize(&of(now)));
        assert!(
            book == current,
            "the recorded transcript {recorded} no longer matches a run of {}.\n\
             If the change is intended, record it again: RECORD_OUTPUTS=1 cargo test\n\
             --- recorded, normalized\n{book}--- now, normalized\n{current}",
            now.label
        );
    }
}
