//! The command line: serve in a mode, or run the load comparison.

use clap::{Parser, Subcommand, ValueEnum};

use crate::load::LoadOptions;

/// Where `/fib` runs.
#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
pub enum Mode {
    Inline,
    Threads,
    Processes,
}

impl Mode {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Inline => "inline",
            Mode::Threads => "threads",
            Mode::Processes => "processes",
        }
    }
}

#[derive(Parser)]
#[command(about = "The /fib/N endpoint computed inline, on threads or on processes")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub serve: ServeOptions,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Runs a server in each mode, loads it, and prints /health's latency.
    Load(LoadOptions),
}

#[derive(clap::Args, Clone, Debug)]
pub struct ServeOptions {
    /// Where /fib is computed.
    #[arg(long, value_enum, default_value_t = Mode::Inline)]
    pub mode: Mode,
    /// The port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// The async runtime's worker threads, which run every request's handler.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub runtime_threads: u16,
    /// Worker processes in processes mode [default: one per core].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub workers: Option<u16>,
}

/// How many worker processes the pool starts.
pub fn pool_size(options: &ServeOptions) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    options.workers.map_or(cores, usize::from)
}
