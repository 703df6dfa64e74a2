//! Does the `/fib` server stay responsive under load, in each of its modes?
//!
//! pool-fib-server computes the slow `/fib/N` inline, on threads, or in worker
//! processes. This benchmark starts it in each mode, has a few clients send a
//! fixed number of slow requests, and meanwhile asks `/health` every few
//! milliseconds: `/fib` answers per second, `/health`'s p50 and p99, the 503s
//! and errors. `--with-python` loads Python's server the same way.
//!
//!     cargo build --release -p pool-fib-server
//!     cargo run --release -p bench-fib-latency -- --with-python
//!
//! Watch for: inline, `/health` waits for slow requests; on threads or
//! processes it answers in about a millisecond. The client leaves the cores to
//! the server: it never computes fib the slow way, and mostly waits.

mod client;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use benchmark_kit::{Chart, ChildProcess, CommonOptions, Report, python_dir};
use clap::{Parser, value_parser};

use client::{Load, Tally};

/// Load the /fib server in each mode: requests/s, /health p50 and p99, errors.
#[derive(Parser)]
struct Args {
    /// The server to load [default: pool-fib-server, beside this program].
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,
    /// The slow request is /fib/N.
    #[arg(long, default_value_t = 40, value_parser = value_parser!(u32).range(1..=42))]
    n: u32,
    /// N for Python's server, whose fib is about fifty times slower: /fib/32
    /// takes about as long there as /fib/40 in Rust.
    #[arg(long, default_value_t = 32, value_parser = value_parser!(u32).range(1..=35))]
    python_n: u32,
    /// How many clients send slow requests at once, each one after the other.
    #[arg(long, default_value_t = 4, value_parser = value_parser!(u32).range(1..=64))]
    clients: u32,
    /// How many slow requests they send in all, in each run.
    #[arg(long, default_value_t = 16, value_parser = value_parser!(u32).range(1..=1000))]
    requests: u32,
    /// Milliseconds from one /health answer to the next /health request.
    #[arg(long, default_value_t = 10, value_parser = value_parser!(u64).range(1..=1000))]
    health_every_ms: u64,
    /// The Rust server's async runtime threads.
    #[arg(long, default_value_t = 2, value_parser = value_parser!(u16).range(1..=64))]
    runtime_threads: u16,
    /// Each server's worker processes (and Python's pool threads).
    #[arg(long, default_value_t = 2, value_parser = value_parser!(u16).range(1..=64))]
    workers: u16,
    #[command(flatten)]
    common: CommonOptions,
}

// ANCHOR: server
/// The command that starts a server, in Rust or in Python, in one of its
/// `--mode`s (inline, threads, processes), on a free port.
fn command(language: &str, mode: &str, args: &Args) -> Result<Command> {
    let mut command = if language == "Rust" {
        let beside_this = std::env::current_exe()?.with_file_name("pool-fib-server");
        let program = args.server.clone().unwrap_or(beside_this);
        let build =
            "build it (cargo build --release -p pool-fib-server) or give --server";
        ensure!(program.is_file(), "no server at {}: {build}", program.display());
        let mut command = Command::new(program);
        command.args(["--runtime-threads", &args.runtime_threads.to_string()]);
        command
    } else {
        let mut command = Command::new("python3");
        command.arg(python_dir().join("pool_fib_server.py"));
        command
    };
    command.args(["--mode", mode, "--port", "0", "--workers", &args.workers.to_string()]);
    Ok(command)
}

/// Starts a server, reads where it listens, loads it, and stops it with
/// SIGTERM as Ctrl-C would: it must end cleanly, its workers too. (If this
/// program dies first, the kernel sends the server SIGTERM: see ChildProcess.)
fn run_once(mut command: Command, load: &Load) -> Result<Tally> {
    let mut server = ChildProcess::start(command.stdout(Stdio::piped()))?;
    let stdout = server.child().stdout.take().context("the server's stdout")?;
    let mut lines = BufReader::new(stdout).lines(); // open until the server has ended
    let first = lines.next().transpose()?.unwrap_or_default();
    let Some(base) = first.strip_prefix("listening on ") else {
        bail!("the server did not say where it listens; it printed {first:?}");
    };
    let tally = load.run(base)?;
    let status = server.stop()?;
    ensure!(status.success(), "the server ended badly: {status}");
    Ok(tally)
}
// ANCHOR_END: server

fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Bars { log: true }, || measure(&args))
}

// ANCHOR: measure
fn measure(args: &Args) -> Result<Report> {
    let languages = &["Rust", "Python"][..1 + usize::from(args.common.with_python)];
    let modes = ["inline", "threads", "processes"];
    let rows: Vec<(&str, &str)> = languages
        .iter()
        .flat_map(|&language| modes.map(|mode| (language, mode)))
        .collect();
    let title = "/health while /fib requests run";
    let mut report = Report::new("bench-fib-latency", title, "server", "ms");
    report.rows =
        rows.iter().map(|(language, mode)| format!("{language} {mode}")).collect();
    let health_every = Duration::from_millis(args.health_every_ms);
    report.measure_rows(&client::COLUMNS, args.common.runs, |row| {
        let (language, mode) = rows[row];
        let n = if language == "Rust" { args.n } else { args.python_n };
        let load =
            Load { n, clients: args.clients, requests: args.requests, health_every };
        run_once(command(language, mode, args)?, &load)?.figures()
    })?;
    // ANCHOR_END: measure
    report.setting("slow request", format!("/fib/{}", args.n));
    if args.common.with_python {
        report.setting("Python's slow request", format!("/fib/{}", args.python_n));
        report.machine.python = Some(benchmark_kit::python_version()?);
    }
    let (requests, clients, every) = (args.requests, args.clients, args.health_every_ms);
    let load =
        format!("{requests} requests, {clients} at a time; /health every {every} ms");
    report.setting("load", load);
    let (threads, workers) = (args.runtime_threads, args.workers);
    report.setting("servers", format!("--runtime-threads {threads} --workers {workers}"));
    Ok(report)
}
