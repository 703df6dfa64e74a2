//! The worker process's side: this program started again as
//! `bench-ipc --worker <role> ...`. It answers every message until the parent
//! closes its end, then exits.

use std::io::{ErrorKind, Read, StdinLock, Write};
use std::num::NonZeroUsize;
use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::ptr::NonNull;

use anyhow::{Context, Result, bail};
use ipc_channel::IpcError;
use ipc_channel::ipc::{self, IpcBytesReceiver, IpcBytesSender, IpcSender};
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap};

use crate::ways::Answer;

pub const WORKER_FLAG: &str = "--worker";
pub const IPC: &str = "ipc-channel";
pub const PIPE: &str = "pipe";
pub const SHARED_MEMORY: &str = "shared-memory";

/// The worker's role and its arguments, when this process is a worker.
pub fn role() -> Option<Vec<String>> {
    // args_os: an argument that is not UTF-8 is for clap to refuse, not a panic here.
    let mut args = std::env::args_os().skip(1);
    if args.next()? != WORKER_FLAG {
        return None;
    }
    args.map(|arg| arg.into_string().ok()).collect()
}

pub fn serve(role: &[String]) -> Result<()> {
    match role {
        [role, name] if role == IPC => {
            let (to_worker, messages) = ipc::bytes_channel()?;
            let (to_parent, answers) = ipc::bytes_channel()?;
            IpcSender::<(IpcBytesSender, IpcBytesReceiver)>::connect(name.clone())?
                .send((to_worker, answers))?;
            loop {
                match messages.recv() {
                    Ok(message) => to_parent.send(&Answer::to(&message).to_bytes())?,
                    Err(IpcError::Disconnected) => return Ok(()), // the parent is done
                    Err(err) => return Err(err.into()),
                }
            }
        }
        [role] if role == PIPE => {
            let mut buffer = Vec::new();
            answer_lengths(|length, input| {
                buffer.resize(length, 0);
                input.read_exact(&mut buffer)?;
                Ok(Answer::to(&buffer))
            })
        }
        [role, fd, size] if role == SHARED_MEMORY => {
            // SAFETY: the parent started us with this descriptor open, for us alone.
            let memory = unsafe { OwnedFd::from_raw_fd(fd.parse()?) };
            let mapping = Mapping::new(&memory, size.parse()?, false)?;
            answer_lengths(|length, _| {
                let message = mapping.bytes().get(..length).context("too long")?;
                Ok(Answer::to(message))
            })
        }
        _ => bail!("unknown worker role {role:?}"),
    }
}

/// For every length the parent writes to stdin, the answer that `receive`
/// makes of that many bytes, written to stdout; until stdin ends.
fn answer_lengths(
    mut receive: impl FnMut(usize, &mut StdinLock<'static>) -> Result<Answer>,
) -> Result<()> {
    let (mut input, mut output) = (std::io::stdin().lock(), std::io::stdout().lock());
    loop {
        let mut length = [0; 8];
        match input.read_exact(&mut length) {
            Err(err) if err.kind() == ErrorKind::UnexpectedEof => return Ok(()),
            read => read?,
        }
        let answer = receive(u64::from_le_bytes(length).try_into()?, &mut input)?;
        output.write_all(&answer.to_bytes())?;
        output.flush()?;
    }
}

// ANCHOR: mapping
/// A shared mapping of a memfd, unmapped when dropped.
pub struct Mapping {
    start: NonNull<u8>,
    length: NonZeroUsize,
}

impl Mapping {
    pub fn new(memory: impl AsFd, length: usize, writable: bool) -> Result<Self> {
        let length = NonZeroUsize::new(length).context("an empty mapping")?;
        let write = if writable { ProtFlags::PROT_WRITE } else { ProtFlags::empty() };
        let protection = ProtFlags::PROT_READ | write;
        // SAFETY: a new mapping, at an address the kernel picks, of a memfd at
        // least `length` long: it overlaps nothing of ours.
        let start =
            unsafe { mmap(None, length, protection, MapFlags::MAP_SHARED, memory, 0)? };
        Ok(Mapping { start: start.cast(), length })
    }

    /// The bytes, while the other process leaves them alone (the handshake's job).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: mapped and readable for `length` bytes until dropped.
        unsafe { std::slice::from_raw_parts(self.start.as_ptr(), self.length.get()) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above, and `new` mapped it writable for the one who writes.
        unsafe { std::slice::from_raw_parts_mut(self.start.as_ptr(), self.length.get()) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: mapped by `new`, and no slice of it outlives `self`.
        let _ = unsafe { munmap(self.start.cast(), self.length.get()) };
    }
}
// ANCHOR_END: mapping
