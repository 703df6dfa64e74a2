//! The Python side of a benchmark: `python/bench_*.py`, run by `--with-python`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::{ChildProcess, CommonOptions, Report, ScratchDir};

/// The Python programs' folder: `python/` in the workspace, beside this crate.
pub fn python_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../python"))
}

impl Report {
    /// With `--with-python`, runs `python/<script>` with `args`, the same
    /// `--runs` and a `--json` file to write, and adds the columns it
    /// measured; without, does nothing.
    pub fn add_python<'a>(
        &mut self,
        options: &CommonOptions,
        script: &str,
        args: impl IntoIterator<Item = (&'a str, impl ToString)>,
    ) -> Result<()> {
        if !options.with_python {
            return Ok(());
        }
        let path = python_dir().join(script);
        if !path.is_file() {
            bail!(
                "--with-python needs {}: the workspace's python/ folder, beside benchmark-kit/",
                path.display()
            );
        }
        let scratch = ScratchDir::new("benchmark-kit-")?;
        let json = scratch.path().join("report.json");
        let mut command = Command::new("python3");
        command.arg(&path).args(["--runs", &options.runs.to_string()]);
        command.args(
            args.into_iter()
                .flat_map(|(flag, value)| [flag.to_owned(), value.to_string()]),
        );
        command.arg("--json").arg(&json).stdout(Stdio::null()).stderr(Stdio::piped());
        let bar = crate::progress(1);
        bar.set_message(format!("python3 python/{script}"));
        let mut python = ChildProcess::start(&mut command)
            .context("cannot run python3 (is it installed?) for --with-python")?;
        let mut stderr = String::new();
        let piped = python.child().stderr.take().context("python3's stderr")?;
        std::io::Read::read_to_string(&mut { piped }, &mut stderr)?;
        let status = python.child().wait()?;
        bar.finish_and_clear();
        if !status.success() {
            bail!("python3 python/{script} failed ({status}):\n{stderr}");
        }
        self.merge(Report::read_json(&json)?)
    }
}
