//! The four ways to send a message and wait for its answer: to a thread over
//! a channel, and to a worker process over ipc-channel, over a pipe, or
//! through shared memory with the pipe left for the handshake. Each way
//! starts its receiver, hands `round_trips` its one round trip, and stops the
//! receiver: only the round trips are timed.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::fd::AsRawFd;
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use std::{mem, thread};

use anyhow::{Context, Result, bail, ensure};
use benchmark_kit::ChildProcess;
use ipc_channel::ipc::{IpcBytesReceiver, IpcBytesSender, IpcOneShotServer};
use nix::sys::memfd::{MFdFlags, memfd_create};

use crate::worker::{IPC, Mapping, PIPE, SHARED_MEMORY, WORKER_FLAG};

// ANCHOR: answer
/// What a receiver sends back: how many bytes it got, and their sum. To
/// answer, it has to read every byte of the message.
#[derive(Debug, PartialEq, Clone, Copy)]
pub struct Answer {
    bytes: u64,
    sum: u64,
}

impl Answer {
    pub fn to(message: &[u8]) -> Self {
        // By chunks of 128 bytes, whose sum fits in a u16 (128 x 255): the
        // compiler then adds 16 bytes at a time, ten times as fast as in a u64.
        let chunk_sum = |chunk: &[u8]| chunk.iter().map(|&b| u16::from(b)).sum::<u16>();
        let sum = message.chunks(128).map(|chunk| u64::from(chunk_sum(chunk))).sum();
        Answer { bytes: message.len() as u64, sum }
    }

    pub fn to_bytes(self) -> [u8; 16] {
        (u128::from(self.bytes) << 64 | u128::from(self.sum)).to_le_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bytes: [u8; 16] = bytes.try_into().context("an answer is 16 bytes")?;
        let both = u128::from_le_bytes(bytes);
        Ok(Answer { bytes: (both >> 64) as u64, sum: both as u64 })
    }
}

/// Round trips sent before the clock starts: the first touch of a buffer or a
/// mapping makes the kernel find its pages, which is not the cost of a message.
const WARM_UP: u64 = 3;

/// Sends `count` messages of `size` bytes one after the other, each answered
/// before the next is sent, checks every answer, and returns the seconds they
/// took. Each message is the same bytes but its last eight: its number.
pub fn round_trips(
    size: usize,
    count: u64,
    mut round_trip: impl FnMut(&mut Vec<u8>) -> Result<Answer>,
) -> Result<f64> {
    let mut message: Vec<u8> = (0..size).map(|index| (index % 251) as u8).collect();
    let body = Answer::to(&message[..size - 8]).sum;
    let mut start = Instant::now();
    for number in 0..WARM_UP + count {
        if number == WARM_UP {
            start = Instant::now();
        }
        let stamp = number.to_le_bytes();
        message[size - 8..].copy_from_slice(&stamp);
        let expected = Answer { bytes: size as u64, sum: body + Answer::to(&stamp).sum };
        let answer = round_trip(&mut message)?;
        ensure!(answer == expected, "message {number}: {answer:?}, not {expected:?}");
    }
    Ok(start.elapsed().as_secs_f64())
}
// ANCHOR_END: answer

// ANCHOR: thread
/// The baseline: a thread, and a channel each way. The message itself does
/// not travel, only the pointer to its buffer, which comes back with the answer.
pub fn thread_channel(size: usize, count: u64) -> Result<f64> {
    let (to_thread, messages) = mpsc::channel::<Vec<u8>>();
    let (to_main, answers) = mpsc::channel();
    let receiver = thread::spawn(move || {
        for message in messages {
            let _ = to_main.send((Answer::to(&message), message));
        }
    });
    let seconds = round_trips(size, count, |message| {
        to_thread.send(mem::take(message))?;
        let (answer, buffer) = answers.recv()?;
        *message = buffer;
        Ok(answer)
    });
    drop(to_thread); // the thread's loop ends
    receiver.join().expect("the receiving thread panicked");
    seconds
}
// ANCHOR_END: thread

// ANCHOR: ipc
/// ipc-channel, as the process toolkit uses it: the worker connects to a
/// one-shot server and hands over its ends of two byte channels.
pub fn ipc_channel(size: usize, count: u64) -> Result<f64> {
    let (server, name) = IpcOneShotServer::<(IpcBytesSender, IpcBytesReceiver)>::new()?;
    let mut worker = start_worker(&[IPC, &name])?;
    let (to_worker, answers) = accept(server, &mut worker)?;
    let seconds = round_trips(size, count, |message| {
        to_worker.send(message)?;
        Answer::from_bytes(&answers.recv()?)
    })?;
    drop(to_worker); // the worker's loop ends
    end(worker)?;
    Ok(seconds)
}
// ANCHOR_END: ipc

// ANCHOR: pipe
/// A pipe each way, the worker's stdin and stdout: the message's length, then
/// its bytes, which the kernel copies into the pipe and out again.
pub fn pipe(size: usize, count: u64) -> Result<f64> {
    let mut worker = start_worker(&[PIPE])?;
    let (mut to_worker, mut from_worker) = pipes(&mut worker)?;
    let seconds = round_trips(size, count, |message| {
        to_worker.write_all(&(message.len() as u64).to_le_bytes())?;
        to_worker.write_all(message)?;
        to_worker.flush()?;
        read_answer(&mut from_worker)
    })?;
    drop(to_worker); // the worker reads the end of its input
    end(worker)?;
    Ok(seconds)
}
// ANCHOR_END: pipe

// ANCHOR: shared
/// Memory mapped by both processes: the message is copied into it once, and
/// the worker reads it where it is. Who may touch it when is up to us: the
/// length through the pipe says "yours now", the answer says "mine again".
pub fn shared_memory(size: usize, count: u64) -> Result<f64> {
    // A memfd is memory with a file descriptor and no name: there is no file
    // in /dev/shm or /tmp to remove, however the program ends. Not
    // close-on-exec, so that the worker inherits it.
    let memory = File::from(memfd_create("bench-ipc", MFdFlags::empty())?);
    memory.set_len(size as u64)?;
    let mut mapping = Mapping::new(&memory, size, true)?;
    let (fd, length) = (memory.as_raw_fd().to_string(), size.to_string());
    let mut worker = start_worker(&[SHARED_MEMORY, &fd, &length])?;
    drop(memory); // the mappings keep the memory; no later child inherits it
    let (mut to_worker, mut from_worker) = pipes(&mut worker)?;
    let seconds = round_trips(size, count, |message| {
        mapping.bytes_mut().copy_from_slice(message);
        to_worker.write_all(&(message.len() as u64).to_le_bytes())?;
        to_worker.flush()?;
        read_answer(&mut from_worker) // until it comes, the memory is the worker's
    })?;
    drop(to_worker);
    end(worker)?;
    Ok(seconds)
}
// ANCHOR_END: shared

/// This program again, as the worker `role`, its stdin and stdout piped to us;
/// a `ChildProcess`, so it cannot outlive the benchmark.
fn start_worker(role: &[&str]) -> Result<ChildProcess> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg(WORKER_FLAG).args(role).stdin(Stdio::piped()).stdout(Stdio::piped());
    ChildProcess::start(&mut command)
}

/// The worker's stdin, buffered so that a length and a small message leave
/// in one write, and its stdout.
fn pipes(worker: &mut ChildProcess) -> Result<(BufWriter<ChildStdin>, ChildStdout)> {
    let stdin = worker.child().stdin.take().context("the worker's stdin")?;
    let stdout = worker.child().stdout.take().context("the worker's stdout")?;
    Ok((BufWriter::with_capacity(64 * 1024, stdin), stdout))
}

fn read_answer(from_worker: &mut ChildStdout) -> Result<Answer> {
    let mut bytes = [0; 16];
    from_worker.read_exact(&mut bytes).context("the worker gave no answer")?;
    Answer::from_bytes(&bytes)
}

/// Waits for a worker that was told to finish, and fails if it did not end well.
fn end(mut worker: ChildProcess) -> Result<()> {
    let status = worker.child().wait()?;
    ensure!(status.success(), "the worker ended with {status}");
    Ok(())
}

/// The worker's channel ends once it has connected. The server waits on a
/// thread of its own, so that a worker that ends first is an error here, not
/// a wait forever.
fn accept(
    server: IpcOneShotServer<(IpcBytesSender, IpcBytesReceiver)>,
    worker: &mut ChildProcess,
) -> Result<(IpcBytesSender, IpcBytesReceiver)> {
    let (accepted, connection) = mpsc::channel();
    thread::spawn(move || accepted.send(server.accept()));
    loop {
        match connection.recv_timeout(Duration::from_millis(10)) {
            Ok(connected) => return Ok(connected?.1),
            Err(RecvTimeoutError::Timeout) => {
                if let Some(status) = worker.child().try_wait()? {
                    bail!("the ipc-channel worker ended ({status}) before it connected");
                }
            }
            Err(RecvTimeoutError::Disconnected) => bail!("the one-shot server failed"),
        }
    }
}
