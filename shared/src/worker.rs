//! Worker processes: this same program, started again in a role.
//!
//! Python's `multiprocessing`, with its "spawn" start method, starts a fresh
//! interpreter, imports your main module and calls the function you named.
//! Rust has no interpreter to do that, but a program can run itself again:
//! [`Worker::start`] re-executes the current binary as `<program> --worker
//! <role>`, and the program's `main` asks [`role`] first thing whether it is
//! the parent or a worker, and which one.
//!
//! Parent and worker talk over two [ipc-channel](ipc_channel) channels of
//! serde types: jobs go down to the worker, replies come back up.
//!
//! ```no_run
//! use process_toolkit::worker::{self, Worker};
//!
//! fn main() -> anyhow::Result<()> {
//!     if let Some(role) = worker::role() {
//!         // In the worker: answer jobs until the parent closes the channel.
//!         assert_eq!(role, "square");
//!         let parent = worker::connect::<u64, u64>()?;
//!         while let Some(n) = parent.next_job()? {
//!             parent.reply(n * n)?;
//!         }
//!         return Ok(());
//!     }
//!     let mut square = Worker::<u64, u64>::start("square")?;
//!     square.send(7)?;
//!     assert_eq!(square.recv()?, 49);
//!     square.join()?;
//!     Ok(())
//! }
//! ```
//!
//! Guarantees:
//! - A worker that panics, aborts, is killed, or exits before it connects gives
//!   the parent an [`Error`] that names it and says how it ended; nothing blocks
//!   forever. A job or reply that cannot be serialized or deserialized is an
//!   error of its own, and leaves the worker running.
//! - A worker never outlives its parent: the kernel kills it (`PR_SET_PDEATHSIG`)
//!   when the parent dies, however it dies, and dropping a [`Worker`] kills it too.
//!   Start workers from a thread that lives as long as they do (usually
//!   `main`'s): on Linux, the "parent" whose death counts is the starting thread.
//! - A worker that has not connected yet cannot start workers of its own (the
//!   bootstrap guard): a `main` that forgot to check its role fails with an
//!   error that says so, in the worker and in the parent, instead of starting
//!   itself again without end.

use std::any::type_name;
use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ipc_channel::ipc::{self, IpcOneShotServer, IpcReceiver, IpcSender};
use ipc_channel::{IpcError, TryRecvError};
use nix::errno::Errno;
use nix::sys::signal::Signal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, serde_reason};

/// The argument that marks a worker: `<program> --worker <role>`.
pub const WORKER_FLAG: &str = "--worker";

/// Where a worker finds the name of its parent's one-shot server.
const SERVER_VAR: &str = "PROCESS_TOOLKIT_SERVER";

/// How long a worker that closed its channels, or refused its role, gets to
/// exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(5);

/// Set once this process, a worker, has connected to its parent: from then on
/// it may start workers of its own.
static CONNECTED: AtomicBool = AtomicBool::new(false);

// ANCHOR: message
/// What can travel between processes: a serde type that a thread may own.
///
/// This bound is where Python's "can't pickle" error went: a job that holds a
/// file handle, a closure or a reference does not compile instead of failing
/// at run time.
pub trait Message: Serialize + DeserializeOwned + Send + 'static {}
impl<T: Serialize + DeserializeOwned + Send + 'static> Message for T {}
// ANCHOR_END: message

/// The first message on the one-shot server: a worker's two channel ends, a
/// worker's refusal to serve (from the bootstrap guard), or the parent's own
/// note that the worker died before it could send either.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
enum Hello<Job, Reply> {
    Connected { jobs: IpcSender<Job>, replies: IpcReceiver<Reply> },
    Refused { hint: String },
    Abandoned,
}

// ANCHOR: role
/// The role this process was started in, or `None` in the parent.
pub fn role() -> Option<String> {
    // args_os: an argument that is not UTF-8 is the program's to refuse, not a panic here.
    let mut args = std::env::args_os().skip(1);
    if args.next()? == WORKER_FLAG { args.next()?.into_string().ok() } else { None }
}
// ANCHOR_END: role

/// A worker process seen from its parent.
pub struct Worker<Job: Message, Reply: Message> {
    role: String,
    child: Child,
    jobs: Option<IpcSender<Job>>,
    replies: IpcReceiver<Reply>,
    status: Option<ExitStatus>,
}

impl<Job: Message, Reply: Message> Worker<Job, Reply> {
    // ANCHOR: start
    /// Starts this program again as a worker in `role`, and connects to it.
    pub fn start(role: &str) -> Result<Self> {
        refuse_if_bootstrapping()?;
        let program = std::env::current_exe().map_err(Error::io("find this program"))?;
        let (server, server_name) = IpcOneShotServer::<Hello<Job, Reply>>::new()
            .map_err(Error::io("open a one-shot server"))?;
        let mut command = Command::new(program);
        command.args([WORKER_FLAG, role]).env(SERVER_VAR, &server_name);
        die_with_parent(&mut command);
        let mut child =
            command.spawn().map_err(Error::io(format!("start worker {role:?}")))?;
        let name = format!("worker {:?} (pid {})", readable(role), child.id());

        match accept(server, &server_name, &mut child) {
            Ok(Hello::Connected { jobs, replies }) => Ok(Worker {
                role: role.to_owned(),
                child,
                jobs: Some(jobs),
                replies,
                status: None,
            }),
            Ok(Hello::Refused { hint }) => {
                if !matches!(wait_at_most(&mut child, EXIT_GRACE), Ok(Some(_))) {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                Err(Error::setup(format!(
                    "{name} tried to start workers of its own instead of serving its role: {hint}"
                )))
            }
            Ok(Hello::Abandoned) => {
                let status =
                    child.wait().map_err(Error::io(format!("wait for {name}")))?;
                Err(Error::setup(format!(
                    "{name} {} before it connected: {}",
                    describe(status),
                    bootstrap_hint(role)
                )))
            }
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(err)
            }
        }
    }
    // ANCHOR_END: start

    /// The worker's process ID, as `ps` shows it.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The role the worker was started in.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// Sends the worker a job. A job that cannot be serialized is an
    /// [`Error::Serialize`]: nothing was sent, and the worker is unharmed.
    pub fn send(&mut self, job: Job) -> Result<()> {
        let Some(jobs) = &self.jobs else {
            return Err(Error::setup(format!(
                "the jobs channel of {} is closed",
                self.name()
            )));
        };
        match jobs.send(job) {
            Ok(()) => Ok(()),
            Err(IpcError::SerializationError(err)) => Err(Error::Serialize {
                what: "job",
                type_name: type_name::<Job>(),
                reason: serde_reason(&err),
            }),
            Err(_) => Err(self.ended()),
        }
    }

    // ANCHOR: recv
    /// Waits for the worker's next reply; an error if the worker ended first.
    pub fn recv(&mut self) -> Result<Reply> {
        let received = self.replies.recv();
        self.received(received)
    }

    /// Like [`recv`](Self::recv), but [`Error::Timeout`] if no reply came
    /// within `timeout`; the worker goes on.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Reply> {
        match self.replies.try_recv_timeout(timeout) {
            Ok(reply) => Ok(reply),
            Err(TryRecvError::Empty) => Err(Error::Timeout),
            Err(TryRecvError::IpcError(err)) => self.received(Err(err)),
        }
    }

    fn received(&mut self, received: Result<Reply, IpcError>) -> Result<Reply> {
        match received {
            Ok(reply) => Ok(reply),
            // The worker's end of the channel closed: it exited, or is about to.
            Err(IpcError::Disconnected) => Err(self.ended()),
            Err(IpcError::SerializationError(err)) => Err(Error::Deserialize {
                what: "reply",
                type_name: type_name::<Reply>(),
                reason: serde_reason(&err),
            }),
            Err(IpcError::Io(source)) => {
                Err(Error::Io { doing: format!("read from {}", self.name()), source })
            }
        }
    }
    // ANCHOR_END: recv

    /// Tells the worker that no more jobs will come: its `next_job` returns `None`.
    pub fn close_jobs(&mut self) {
        self.jobs = None;
    }

    /// The worker's exit status if it has ended, without waiting.
    pub fn try_wait(&mut self) -> Result<Option<ExitStatus>> {
        if self.status.is_none() {
            self.wait_at_most(Duration::ZERO)?;
        }
        Ok(self.status)
    }

    /// Closes the jobs channel and waits for the worker to exit, however it ends.
    pub fn wait(&mut self) -> Result<ExitStatus> {
        self.close_jobs();
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = self.child.wait();
        let status = status.map_err(Error::io(format!("wait for {}", self.name())))?;
        self.status = Some(pass_on_sigpipe(status));
        Ok(status)
    }

    /// Kills the worker with SIGKILL, whatever it is doing, and waits for it.
    pub fn kill(&mut self) -> Result<ExitStatus> {
        if self.status.is_none() {
            let _ = self.child.kill();
        }
        self.wait()
    }

    /// Closes the jobs channel and waits for the worker: an error unless it exited with 0.
    pub fn join(mut self) -> Result<()> {
        let status = self.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(Error::Died { process: self.name(), status })
        }
    }

    /// How errors name the worker: `worker "square" (pid 1234)`.
    pub(crate) fn name(&self) -> String {
        format!("worker {:?} (pid {})", readable(&self.role), self.pid())
    }

    /// The error for a worker whose channel closed: how it ended, once it has.
    fn ended(&mut self) -> Error {
        match self.wait_at_most(EXIT_GRACE) {
            Ok(Some(status)) => Error::Died { process: self.name(), status },
            Ok(None) => {
                let _ = self.kill();
                let reason = "it closed its channel but did not exit";
                Error::Killed { process: self.name(), reason }
            }
            Err(err) => err,
        }
    }

    fn wait_at_most(&mut self, limit: Duration) -> Result<Option<ExitStatus>> {
        let ended = wait_at_most(&mut self.child, limit);
        let ended = ended.map_err(Error::io(format!("check on {}", self.name())))?;
        self.status = ended.map(pass_on_sigpipe);
        Ok(self.status)
    }
}

impl<Job: Message, Reply: Message> Drop for Worker<Job, Reply> {
    /// A worker that was not waited for is killed, so it cannot outlive its handle.
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The child's exit status if it ends within `limit`.
fn wait_at_most(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        let ended = child.try_wait()?;
        if ended.is_some() || Instant::now() >= deadline {
            return Ok(ended);
        }
        thread::sleep(Duration::from_millis(5));
    }
}

// ANCHOR: accept
/// Waits for the worker's hello while watching that it is still alive: a
/// worker that exits before it connects must not leave the parent waiting.
fn accept<Job: Message, Reply: Message>(
    server: IpcOneShotServer<Hello<Job, Reply>>,
    server_name: &str,
    child: &mut Child,
) -> Result<Hello<Job, Reply>> {
    let (accepted_tx, accepted_rx) = mpsc::channel();
    let accepting = thread::spawn(move || {
        let _ = accepted_tx.send(server.accept().map(|(_, hello)| hello));
    });
    let lost = || Error::Lost;
    let hello = loop {
        match accepted_rx.recv_timeout(Duration::from_millis(10)) {
            Ok(hello) => break hello,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(lost()),
        }
        if !matches!(child.try_wait(), Ok(None)) {
            // Wake the accepting thread with a hello of our own. If the worker
            // did connect just before it exited, the server is gone and this
            // connection fails harmlessly; the worker's hello is what arrives.
            if let Ok(wake) = IpcSender::connect(server_name.to_owned()) {
                let _ = wake.send(Hello::<Job, Reply>::Abandoned);
            }
            break accepted_rx.recv().map_err(|_| lost())?;
        }
    };
    let _ = accepting.join();
    hello.map_err(|err| Error::Io {
        doing: "accept the worker's connection".into(),
        source: io::Error::other(err),
    })
}
// ANCHOR_END: accept

// ANCHOR: die_with_parent
/// Asks the kernel to kill the child when its parent dies, even by SIGKILL.
fn die_with_parent(command: &mut Command) {
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec, and calls only prctl and
    // getppid, which are async-signal-safe system calls. It allocates nothing:
    // its errors are bare OS error codes, which io::Error holds without a heap
    // allocation (and a raw code is all that spawn passes back to the parent).
    unsafe {
        command.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
            // The parent may have died before prctl: then nobody would kill us,
            // and nobody is left to read this error either.
            if nix::unistd::getppid().as_raw().cast_unsigned() != parent {
                return Err(io::Error::from_raw_os_error(Errno::ESRCH as i32));
            }
            Ok(())
        });
    }
}
// ANCHOR_END: die_with_parent

// ANCHOR: guard
/// The bootstrap guard. A worker that has not connected to its parent yet is
/// running the top of `main` before the check of its role: if it started
/// workers now, each would do the same, without end. So it refuses, and tells
/// the parent waiting for its hello why (Python raises "An attempt has been
/// made to start a new process before the current process has finished its
/// bootstrapping phase" in the same place).
pub(crate) fn refuse_if_bootstrapping() -> Result<()> {
    static TOLD_PARENT: AtomicBool = AtomicBool::new(false);
    let Some(role) = role() else { return Ok(()) };
    if CONNECTED.load(Ordering::SeqCst) {
        return Ok(());
    }
    let hint = bootstrap_hint(&role);
    if !TOLD_PARENT.swap(true, Ordering::SeqCst)
        && let Ok(server_name) = std::env::var(SERVER_VAR)
        && let Ok(parent) = IpcSender::<Hello<(), ()>>::connect(server_name)
    {
        let _ = parent.send(Hello::Refused { hint: hint.clone() });
    }
    Err(Error::setup(format!(
        "this process is worker {:?}, and it tried to start workers of its own \
         before serving its role: {hint}",
        readable(&role)
    )))
}

/// What `main` must do first in a worker of `role`.
fn bootstrap_hint(role: &str) -> String {
    match role.strip_prefix("pool:") {
        Some(function) => {
            let path = function.split('#').next().unwrap_or(function);
            let name = path.rsplit("::").next().filter(|name| !name.contains('{'));
            format!(
                "main must call pool::serve_if_worker({}) before anything else, \
                 as a Python script keeps its main code under `if __name__ == \"__main__\":`",
                name.unwrap_or("<the pool's function>")
            )
        }
        None => format!(
            "main must check worker::role() and serve role {role:?} before anything else"
        ),
    }
}
// ANCHOR_END: guard

/// The worker's end of the connection to its parent.
pub struct Parent<Job: Message, Reply: Message> {
    jobs: IpcReceiver<Job>,
    replies: IpcSender<Reply>,
}

// ANCHOR: connect
/// In a worker, connects to the parent that started it.
pub fn connect<Job: Message, Reply: Message>() -> Result<Parent<Job, Reply>> {
    let server_name = std::env::var(SERVER_VAR).map_err(|_| {
        Error::setup(format!(
            "{WORKER_FLAG} is for worker processes started by Worker::start, not by hand"
        ))
    })?;
    let (jobs_tx, jobs_rx) = ipc::channel().map_err(Error::io("open a channel"))?;
    let (replies_tx, replies_rx) = ipc::channel().map_err(Error::io("open a channel"))?;
    let hello = IpcSender::connect(server_name).map_err(Error::io("reach the parent"))?;
    let connected = Hello::Connected { jobs: jobs_tx, replies: replies_rx };
    hello.send(connected).map_err(|err| ipc_io("greet the parent", err))?;
    CONNECTED.store(true, Ordering::SeqCst);
    Ok(Parent { jobs: jobs_rx, replies: replies_tx })
}
// ANCHOR_END: connect

impl<Job: Message, Reply: Message> Parent<Job, Reply> {
    /// The next job, or `None` once the parent has closed the jobs channel. A
    /// job that cannot be deserialized is an [`Error::Deserialize`]; the next
    /// one may still arrive.
    pub fn next_job(&self) -> Result<Option<Job>> {
        match self.jobs.recv() {
            Ok(job) => Ok(Some(job)),
            Err(IpcError::Disconnected) => Ok(None),
            Err(IpcError::SerializationError(err)) => Err(Error::Deserialize {
                what: "job",
                type_name: type_name::<Job>(),
                reason: serde_reason(&err),
            }),
            Err(err) => Err(ipc_io("read the next job", err)),
        }
    }

    /// Sends a reply to the parent. A reply that cannot be serialized is an
    /// [`Error::Serialize`], and nothing was sent.
    pub fn reply(&self, reply: Reply) -> Result<()> {
        match self.replies.send(reply) {
            Ok(()) => Ok(()),
            Err(IpcError::SerializationError(err)) => Err(Error::Serialize {
                what: "reply",
                type_name: type_name::<Reply>(),
                reason: serde_reason(&err),
            }),
            Err(err) => Err(ipc_io("reply: the parent is gone", err)),
        }
    }
}

/// An ipc-channel error that is not about serde, as an [`Error::Io`].
fn ipc_io(doing: &str, err: IpcError) -> Error {
    let source = match err {
        IpcError::Io(source) => source,
        other => io::Error::other(other),
    };
    Error::Io { doing: doing.to_owned(), source }
}

/// A role as people read it: a pool's role ends in a hash that only tells two
/// functions of one name apart (see `pool::role_for`), and changes with every
/// build, so messages leave it out.
pub(crate) fn readable(role: &str) -> &str {
    role.split_once('#').map_or(role, |(name, _)| name)
}

/// A child killed by SIGPIPE wrote to a pipe that nobody reads any more:
/// usually the output it shares with this process, closed by `| head`. This
/// process then ends the same way, quietly, as a shell pipeline expects,
/// instead of reporting the child's end as a crash. (If this process ignores
/// SIGPIPE, as Rust programs do unless they reset it, nothing happens here.)
pub fn pass_on_sigpipe(status: ExitStatus) -> ExitStatus {
    if status.signal() == Some(Signal::SIGPIPE as i32) {
        let _ = nix::sys::signal::raise(Signal::SIGPIPE);
    }
    status
}

/// How a process ended, in words: "exited with code 0", "was killed by SIGKILL".
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        let hint = if code == 101 { " (a Rust panic exits with 101)" } else { "" };
        return format!("exited with code {code}{hint}");
    }
    match status.signal().map(Signal::try_from) {
        Some(Ok(signal)) => format!("was killed by {}", signal.as_str()),
        Some(Err(_)) => format!("was killed by signal {}", status.signal().unwrap_or(0)),
        None => format!("ended ({status})"),
    }
}
