//! Waiting for a child made with `fork`, in the same words as a worker's end.
//!
//! `nix::sys::wait::waitpid` answers with a `WaitStatus`; this turns it into
//! std's `ExitStatus`, so [`crate::worker::describe`] can say how the child
//! ended ("exited with code 101", "was killed by SIGKILL").

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::error::{Error, Result};
use crate::worker::pass_on_sigpipe;

/// Waits for the forked child `child` to end, however it ends.
pub fn wait(child: Pid) -> Result<ExitStatus> {
    let doing = || format!("wait for child pid {child}");
    // The raw encoding wait(2) uses: the exit code in the second byte, or the signal.
    match waitpid(child, None).map_err(|errno| Error::io(doing())(errno.into()))? {
        WaitStatus::Exited(_, code) => Ok(ExitStatus::from_raw(code << 8)),
        WaitStatus::Signaled(_, signal, _) => {
            Ok(pass_on_sigpipe(ExitStatus::from_raw(signal as i32)))
        }
        other => {
            Err(Error::io(doing())(io::Error::other(format!("unexpected {other:?}"))))
        }
    }
}

/// Waits for the forked child: an error naming it unless it exited with code 0.
pub fn join(child: Pid) -> Result<()> {
    let status = wait(child)?;
    if !status.success() {
        return Err(Error::Died { process: format!("child pid {child}"), status });
    }
    Ok(())
}
