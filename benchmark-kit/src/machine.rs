//! The machine a report was measured on, shown under every table and chart:
//! figures mean little without it.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Machine {
    /// The cores this process may use (what `available_parallelism` reports).
    pub cores: usize,
    /// The CPU model, from /proc/cpuinfo where there is one.
    pub cpu: String,
    /// `release` or `debug`: a debug build's timings say little.
    pub build: String,
    /// The Python version, when Python columns are in the report.
    pub python: Option<String>,
}

impl Machine {
    pub fn detect() -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|line| line.starts_with("model name"))
                    .and_then(|line| line.split_once(':'))
                    .map(|(_, model)| {
                        model.split_whitespace().collect::<Vec<_>>().join(" ")
                    })
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            build: if cfg!(debug_assertions) { "debug" } else { "release" }.to_owned(),
            python: None,
        }
    }
}

/// The version of `python3`, as it names itself ("Python 3.11.7"), for a
/// benchmark whose Python side is not a `bench_*.py` script (that one says).
pub fn python_version() -> anyhow::Result<String> {
    let output = std::process::Command::new("python3").arg("--version").output()?;
    anyhow::ensure!(output.status.success(), "python3 --version: {}", output.status);
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} cores, {}, Rust {} build", self.cores, self.cpu, self.build)?;
        if let Some(python) = &self.python {
            write!(f, ", {python}")?;
        }
        Ok(())
    }
}
