//! Waiting for a child made with `fork`, in the same words as a worker's end.
//!
//! `nix::sys::wait::waitpid` answers with a `WaitStatus`; this turns it into
//! std's `ExitStatus`, so [`crate::worker::describe`] can say how the child
//! ended ("exited with code 101", "was killed by SIGKILL").

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use anyhow::{Result, bail};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::worker::{describe, pass_on_sigpipe};

/// Waits for the forked child `child` to end, however it ends.
pub fn wait(child: Pid) -> Result<ExitStatus> {
    // The raw encoding wait(2) uses: the exit code in the second byte, or the signal.
    match waitpid(child, None)? {
        WaitStatus::Exited(_, code) => Ok(ExitStatus::from_raw(code << 8)),
        WaitStatus::Signaled(_, signal, _) => {
            Ok(pass_on_sigpipe(ExitStatus::from_raw(signal as i32)))
        }
        other => bail!("child pid {child}: unexpected wait status {other:?}"),
    }
}

/// Waits for the forked child: an error naming it unless it exited with code 0.
pub fn join(child: Pid) -> Result<()> {
    let status = wait(child)?;
    if !status.success() {
        bail!("child pid {child} {}", describe(status));
    }
    Ok(())
}
