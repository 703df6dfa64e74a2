//! What does it cost to talk to another process?
//!
//! The articles find communicating between processes tedious and complex;
//! this measures what it costs. The parent sends messages of 8 B, 4 KiB and
//! 4 MiB to one worker process, each answered before the next is sent: over
//! ipc-channel, over a plain pipe, and through shared memory; and, as the
//! baseline, to a thread over a channel. `--with-python` measures Python's
//! `multiprocessing.Queue`, `Pipe` and `shared_memory`, and a `queue.Queue`
//! between threads, in the same run.
//!
//!     cargo run --release -p bench-ipc -- --with-python
//!
//! Watch for: small messages cost a wake-up of the other side each way,
//! whatever carries them; large ones cost their copies, which the thread
//! channel and shared memory do without.

mod table;
mod ways;
mod worker;

use anyhow::Result;
use benchmark_kit::{Chart, CommonOptions, Report, ScratchDir, comma_list, thousands};
use clap::{Parser, value_parser};

/// Round trips to a thread and to a worker process: ipc-channel, a pipe, shared memory.
#[derive(Parser)]
struct Args {
    /// The message sizes in bytes, the table's columns (at least 8: a message
    /// ends with its number).
    #[arg(long, value_delimiter = ',', default_value = "8,4096,4194304",
          value_parser = value_parser!(u64).range(8..=1 << 26))]
    sizes: Vec<u64>,
    /// At most this many round trips per measurement.
    #[arg(long, default_value_t = 2_000, value_parser = value_parser!(u64).range(1..=10_000_000))]
    messages: u64,
    /// At most this many MiB sent per measurement: large messages make fewer round trips.
    #[arg(long, default_value_t = 64, value_parser = value_parser!(u64).range(1..=65_536))]
    mib: u64,
    #[command(flatten)]
    common: CommonOptions,
}

impl Args {
    /// How many round trips a measurement with messages of `size` bytes makes.
    fn count(&self, size: u64) -> u64 {
        ((self.mib << 20) / size).clamp(1, self.messages)
    }
}

fn main() -> Result<()> {
    sigpipe::reset();
    if let Some(role) = worker::role() {
        return worker::serve(&role); // started again as the worker
    }
    let args = Args::parse();
    benchmark_kit::run_showing(
        &args.common,
        Chart::Bars { log: true },
        || measure(&args),
        table::table,
    )
}

// ANCHOR: measure
type Way = fn(usize, u64) -> Result<f64>;
const WAYS: [(&str, Way); 4] = [
    ("Rust thread channel", ways::thread_channel),
    ("Rust ipc-channel", ways::ipc_channel),
    ("Rust pipe", ways::pipe),
    ("Rust shared memory", ways::shared_memory),
];

fn measure(args: &Args) -> Result<Report> {
    // ipc-channel's one-shot server puts its socket in a temporary folder:
    // one inside ours, which is removed on Ctrl-C too.
    let scratch = ScratchDir::new("bench-ipc-")?;
    let _ = tempfile::env::override_temp_dir(scratch.path());
    let title = "Round trips to a thread and to a worker process";
    let mut report = Report::new("bench-ipc", title, "message", "round trips/s");
    report.rows = args.sizes.iter().map(|&size| table::size_label(size)).collect();
    let counts: Vec<String> = (args.sizes.iter())
        .map(|&size| {
            format!("{} ({})", thousands(args.count(size)), table::size_label(size))
        })
        .collect();
    report.setting("round trips per measurement", counts.join(", "));
    report.measure(&WAYS, args.common.runs, |way, row| {
        let (size, count) = (args.sizes[row], args.count(args.sizes[row]));
        Ok(Some(count as f64 / way(size as usize, count)?))
    })?;
    // ANCHOR_END: measure
    let python = [
        ("--sizes", comma_list(&args.sizes)),
        ("--messages", args.messages.to_string()),
        ("--mib", args.mib.to_string()),
    ];
    report.add_python(&args.common, "bench_ipc.py", python)?;
    drop(scratch);
    Ok(report)
}
