//! `pool-fib-server load`: how long does `/health` take while slow requests run?
//!
//! For each mode, it starts this same program as a server (a child process on
//! a free port), sends a fixed number of slow `/fib` requests at once, and
//! from a moment later asks `/health` again and again, one request at a time,
//! until the first slow request is answered. It prints one Markdown table row
//! per mode.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use clap::ValueEnum;
use nix::sys::signal::Signal;

use crate::options::Mode;
use crate::{MAX_N, fib};

/// Longer than any request can take; a server that hangs is an error, not a stuck run.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How long the slow requests have to reach the server before `/health` is asked.
const HEAD_START: Duration = Duration::from_millis(100);

#[derive(clap::Args, Debug)]
pub struct LoadOptions {
    /// The slow request is /fib/N.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_N)))]
    n: u32,
    /// How many slow requests are sent at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    slow: u16,
    /// The server's async runtime threads.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    runtime_threads: u16,
    /// The server's worker processes, in processes mode.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    workers: u16,
}

/// What one mode's run measured.
struct Measured {
    health_latencies: Vec<Duration>,
    slow_done_after: Duration,
}

pub fn run(options: &LoadOptions) -> Result<()> {
    let LoadOptions { n, slow, runtime_threads, workers } = options;
    println!("machine: {}", machine());
    println!();
    println!(
        "{slow} requests for /fib/{n} sent at once; from {head_start} ms later until the \
         first of them is answered, /health asked again and again, one request at a \
         time. The server has {runtime_threads} runtime threads and, in processes \
         mode, {workers} worker processes.",
        head_start = HEAD_START.as_millis()
    );
    println!();
    println!(
        "| mode | /health answers | median | p99 | all slow requests answered after |"
    );
    println!("|---|---:|---:|---:|---:|");
    for mode in Mode::value_variants() {
        let measured = measure(*mode, options)?;
        let mut latencies = measured.health_latencies;
        latencies.sort_unstable();
        println!(
            "| {} | {} | {} | {} | {:.2} s |",
            mode.name(),
            latencies.len(),
            millis(percentile(&latencies, 50)),
            millis(percentile(&latencies, 99)),
            measured.slow_done_after.as_secs_f64(),
        );
    }
    Ok(())
}

fn measure(mode: Mode, options: &LoadOptions) -> Result<Measured> {
    let server = ServerChild::start(mode, options)?;
    let health = format!("{}/health", server.base);
    let slow = format!("{}/fib/{}", server.base, options.n);
    let prober = agent();
    prober.get(&health).call().context("the server does not answer /health")?;

    let started = Instant::now();
    let answered = AtomicUsize::new(0);
    thread::scope(|scope| {
        let slow_requests: Vec<_> = (0..options.slow)
            .map(|_| scope.spawn(|| fetch_fib(&slow, options.n, started, &answered)))
            .collect();
        // A head start, so that the slow requests have reached the server
        // before the first /health: the table is about /health while they run.
        thread::sleep(HEAD_START);
        let mut health_latencies = Vec::new();
        // Until the first slow answer, while all of them are still running
        // (and at least once, even if they are quick).
        loop {
            let asked = Instant::now();
            prober.get(&health).call().context("/health failed")?;
            health_latencies.push(asked.elapsed());
            if answered.load(Ordering::SeqCst) > 0 {
                break;
            }
        }
        let mut slow_done_after = Duration::ZERO;
        for request in slow_requests {
            let done_after = request.join().expect("a request thread panicked")?;
            slow_done_after = slow_done_after.max(done_after);
        }
        server.stop()?;
        Ok(Measured { health_latencies, slow_done_after })
    })
}

/// An HTTP client of its own for each thread: they share no connection pool.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(REQUEST_TIMEOUT)).build().into()
}

/// Asks for fib(n), checks the answer, and says when it arrived.
fn fetch_fib(
    url: &str,
    n: u32,
    started: Instant,
    answered: &AtomicUsize,
) -> Result<Duration> {
    let body = agent().get(url).call()?.body_mut().read_to_string()?;
    let done_after = started.elapsed();
    answered.fetch_add(1, Ordering::SeqCst);
    let expected = serde_json::json!({ "n": n, "fib": fib(n) });
    ensure!(
        serde_json::from_str::<serde_json::Value>(&body)? == expected,
        "{url}: {body}"
    );
    Ok(done_after)
}

/// A server started from this program, killed when dropped.
struct ServerChild {
    child: Child,
    base: String,
    stdout: BufReader<ChildStdout>, // kept open: the server prints to it until the end
}

impl ServerChild {
    fn start(mode: Mode, options: &LoadOptions) -> Result<Self> {
        let mut command = Command::new(std::env::current_exe()?);
        command.args(["--mode", mode.name(), "--port", "0"]);
        command.args(["--runtime-threads", &options.runtime_threads.to_string()]);
        command.args(["--workers", &options.workers.to_string()]);
        command.stdout(Stdio::piped());
        die_with_parent(&mut command);
        let mut child = command.spawn().context("cannot start the server")?;
        let stdout = child.stdout.take().context("the server's stdout")?;
        let mut server =
            ServerChild { child, base: String::new(), stdout: BufReader::new(stdout) };
        let mut first = String::new();
        server.stdout.read_line(&mut first)?;
        let Some(address) = first.trim().strip_prefix("listening on ") else {
            bail!("the server did not say where it listens; it printed {first:?}");
        };
        server.base = address.to_owned();
        Ok(server)
    }

    /// Stops the server as Ctrl-C would, so it stops its workers too.
    fn stop(mut self) -> Result<()> {
        let pid = nix::unistd::Pid::from_raw(self.child.id().cast_signed());
        nix::sys::signal::kill(pid, Signal::SIGTERM)?;
        let status = self.child.wait()?;
        ensure!(status.success(), "the server ended badly: {status}");
        Ok(())
    }
}

impl Drop for ServerChild {
    /// On an early return, the server is killed (no-op once it has exited).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asks the kernel to kill the server if this program dies first, however it
/// dies (as the process toolkit does for its workers; see its chapter).
fn die_with_parent(command: &mut Command) {
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec and only calls prctl and
    // getppid, which are async-signal-safe; it allocates nothing.
    unsafe {
        command.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
            // If this program died before prctl, nobody would kill the server.
            if nix::unistd::getppid().as_raw().cast_unsigned() != parent {
                return Err(std::io::Error::other("the load program exited"));
            }
            Ok(())
        });
    }
}

/// The nearest-rank percentile of sorted latencies (at least one).
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// "2 cores, <CPU model>", from the standard library and /proc/cpuinfo.
fn machine() -> String {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU", |(_, model)| model.trim());
    format!("{cores} cores, {model}")
}
