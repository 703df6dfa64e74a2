//! What the machine can give a benchmark, measured or asked for: the
//! speedup that independent processes get at this moment (the measured
//! limit), and open files enough for many connections at once.

use std::io::Read;
use std::ops::Range;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

use crate::ChildProcess;

/// The variable that tells this program, started again, which range to add up.
const SOLO: &str = "BENCHMARK_KIT_SOLO";

/// In a process started by [`solo_processes`]: runs `work` on the range it
/// was given, prints the result and exits. Elsewhere, does nothing: call it
/// first thing in `main`.
pub fn solo_if_asked(work: fn(Range<u64>) -> u64) {
    let Ok(range) = std::env::var(SOLO) else { return };
    let bounds = range.split_once("..").and_then(|(start, end)| {
        Some(start.parse::<u64>().ok()?..end.parse::<u64>().ok()?)
    });
    let Some(bounds) = bounds else {
        eprintln!("{SOLO}={range}: not a range such as 0..100");
        std::process::exit(2);
    };
    println!("{}", work(bounds));
    std::process::exit(0);
}

/// The measured limit: `work` (the function given to [`solo_if_asked`]) run
/// on each of `ranges` in a single-threaded process of its own, all at once,
/// with nothing shared and nothing to wait for but their ends. Returns the
/// results, in the order of `ranges`. Timed like any other way of running
/// the work, it shows what the cores give right now, whatever else the
/// machine is doing.
pub fn solo_processes(ranges: &[Range<u64>]) -> Result<Vec<u64>> {
    let program = std::env::current_exe().context("cannot find this program")?;
    let mut children = Vec::new();
    for range in ranges {
        let mut command = Command::new(&program);
        command.env(SOLO, format!("{}..{}", range.start, range.end));
        children.push(ChildProcess::start(command.stdout(Stdio::piped()))?);
    }
    let mut results = Vec::new();
    for mut child in children {
        let mut output = String::new();
        let stdout = child.child().stdout.take().context("a solo process's stdout")?;
        { stdout }.read_to_string(&mut output)?;
        let status = child.child().wait()?;
        match output.trim().parse() {
            Ok(result) if status.success() => results.push(result),
            _ => bail!("a solo process ended with {status}, printing {output:?}"),
        }
    }
    Ok(results)
}

/// Makes room for `needed` open files (sockets are files): raises the soft
/// limit up to the hard limit if it is lower than `needed`. An error says
/// what the limits are when even the hard one is too low.
pub fn open_files(needed: u64) -> Result<()> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft >= needed {
        return Ok(());
    }
    if hard < needed {
        bail!(
            "needs about {needed} open files, and the hard limit is {hard} \
             (`ulimit -Hn`): raise it, or ask for fewer"
        );
    }
    setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
    Ok(())
}

/// [`open_files`], for a benchmark that cannot run without them: when even
/// the hard limit is too low, says so (`cannot hold {what}: ...`) and exits
/// with code 2, as for any other count it was given that it cannot use.
pub fn open_files_or_exit(needed: u64, what: &str) {
    if let Err(err) = open_files(needed) {
        eprintln!("error: cannot hold {what}: {err}");
        std::process::exit(2);
    }
}
