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
//!     square.join()
//! }
//! ```
//!
//! Guarantees:
//! - A worker that panics, aborts, is killed, or exits before it connects gives
//!   the parent an error that names it and says how it ended; nothing blocks forever.
//! - A worker never outlives its parent: the kernel kills it (`PR_SET_PDEATHSIG`)
//!   when the parent dies, however it dies, and dropping a [`Worker`] kills it too.
//!   Start workers from a thread that lives as long as they do (usually
//!   `main`'s): on Linux, the "parent" whose death counts is the starting thread.

use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use ipc_channel::IpcError;
use ipc_channel::ipc::{self, IpcOneShotServer, IpcReceiver, IpcSender};
use nix::sys::signal::Signal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The argument that marks a worker: `<program> --worker <role>`.
pub const WORKER_FLAG: &str = "--worker";

/// Where a worker finds the name of its parent's one-shot server.
const SERVER_VAR: &str = "PROCESS_TOOLKIT_SERVER";

/// How long a worker that closed its channels gets to exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(5);

// ANCHOR: message
/// What can travel between processes: a serde type that a thread may own.
///
/// This bound is where Python's "can't pickle" error went: a job that holds a
/// file handle, a closure or a reference does not compile instead of failing
/// at run time.
pub trait Message: Serialize + DeserializeOwned + Send + 'static {}
impl<T: Serialize + DeserializeOwned + Send + 'static> Message for T {}
// ANCHOR_END: message

/// The first message on the one-shot server: a worker's two channel ends, or the
/// parent's own note that the worker died before it could send them.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
enum Hello<Job, Reply> {
    Connected { jobs: IpcSender<Job>, replies: IpcReceiver<Reply> },
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
        let program =
            std::env::current_exe().context("cannot find this program's path")?;
        let (server, server_name) = IpcOneShotServer::<Hello<Job, Reply>>::new()?;
        let mut command = Command::new(program);
        command.args([WORKER_FLAG, role]).env(SERVER_VAR, &server_name);
        die_with_parent(&mut command);
        let mut child =
            command.spawn().with_context(|| format!("cannot start worker {role:?}"))?;

        match accept(server, &server_name, &mut child) {
            Ok(Hello::Connected { jobs, replies }) => Ok(Worker {
                role: role.to_owned(),
                child,
                jobs: Some(jobs),
                replies,
                status: None,
            }),
            Ok(Hello::Abandoned) => {
                let status = child.wait()?;
                bail!(
                    "worker {role:?} (pid {}) {} before it connected",
                    child.id(),
                    describe(status)
                )
            }
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(err.context(format!("cannot connect to worker {role:?}")))
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

    /// Sends the worker a job.
    pub fn send(&mut self, job: Job) -> Result<()> {
        let jobs =
            self.jobs.as_ref().ok_or_else(|| anyhow!("the jobs channel is closed"))?;
        if jobs.send(job).is_err() {
            return Err(self.ended());
        }
        Ok(())
    }

    // ANCHOR: recv
    /// Waits for the worker's next reply; an error if the worker ended first.
    pub fn recv(&mut self) -> Result<Reply> {
        match self.replies.recv() {
            Ok(reply) => Ok(reply),
            Err(IpcError::Disconnected) => Err(self.ended()),
            Err(err) => {
                Err(err).context(format!("cannot read from worker {:?}", self.role))
            }
        }
    }
    // ANCHOR_END: recv

    /// Tells the worker that no more jobs will come: its `next_job` returns `None`.
    pub fn close_jobs(&mut self) {
        self.jobs = None;
    }

    /// Closes the jobs channel and waits for the worker to exit, however it ends.
    pub fn wait(&mut self) -> Result<ExitStatus> {
        self.close_jobs();
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = self.child.wait()?;
        self.status = Some(pass_on_sigpipe(status));
        Ok(status)
    }

    /// Closes the jobs channel and waits for the worker: an error unless it exited with 0.
    pub fn join(mut self) -> Result<()> {
        let status = self.wait()?;
        if status.success() {
            Ok(())
        } else {
            bail!("worker {:?} (pid {}) {}", self.role, self.pid(), describe(status))
        }
    }

    /// The error for a worker whose channel closed: how it ended, once it has.
    fn ended(&mut self) -> anyhow::Error {
        let (role, pid) = (self.role.clone(), self.pid());
        match self.wait_at_most(EXIT_GRACE) {
            Ok(Some(status)) => {
                anyhow!("worker {role:?} (pid {pid}) {}", describe(status))
            }
            Ok(None) => {
                let _ = self.child.kill();
                let _ = self.wait();
                anyhow!(
                    "worker {role:?} (pid {pid}) closed its channel but did not exit; killed it"
                )
            }
            Err(err) => {
                err.context(format!("worker {role:?} (pid {pid}) is unreachable"))
            }
        }
    }

    fn wait_at_most(&mut self, limit: Duration) -> Result<Option<ExitStatus>> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait()? {
                self.status = Some(pass_on_sigpipe(status));
                return Ok(Some(status));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            thread::sleep(Duration::from_millis(5));
        }
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
    let hello = loop {
        match accepted_rx.recv_timeout(Duration::from_millis(10)) {
            Ok(hello) => break hello?,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                bail!("the accepting thread died")
            }
        }
        if child.try_wait()?.is_some() {
            // Wake the accepting thread with a hello of our own. If the worker
            // did connect just before it exited, the server is gone and this
            // connection fails harmlessly; the worker's hello is what arrives.
            if let Ok(wake) = IpcSender::connect(server_name.to_owned()) {
                let _ = wake.send(Hello::<Job, Reply>::Abandoned);
            }
            break accepted_rx.recv().context("the accepting thread died")??;
        }
    };
    let _ = accepting.join();
    Ok(hello)
}
// ANCHOR_END: accept

// ANCHOR: die_with_parent
/// Asks the kernel to kill the child when its parent dies, even by SIGKILL.
fn die_with_parent(command: &mut Command) {
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec, and calls only prctl and
    // getppid, which are async-signal-safe system calls; it allocates nothing.
    unsafe {
        command.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
            // The parent may have died before prctl: then nobody would kill us.
            if nix::unistd::getppid().as_raw().cast_unsigned() != parent {
                return Err(io::Error::other(
                    "the parent exited while the worker started",
                ));
            }
            Ok(())
        });
    }
}
// ANCHOR_END: die_with_parent

/// The worker's end of the connection to its parent.
pub struct Parent<Job: Message, Reply: Message> {
    jobs: IpcReceiver<Job>,
    replies: IpcSender<Reply>,
}

// ANCHOR: connect
/// In a worker, connects to the parent that started it.
pub fn connect<Job: Message, Reply: Message>() -> Result<Parent<Job, Reply>> {
    let server_name = std::env::var(SERVER_VAR).map_err(|_| {
        anyhow!(
            "{WORKER_FLAG} is for worker processes started by Worker::start, not by hand"
        )
    })?;
    let (jobs_tx, jobs_rx) = ipc::channel()?;
    let (replies_tx, replies_rx) = ipc::channel()?;
    let hello = IpcSender::connect(server_name).context("cannot reach the parent")?;
    hello.send(Hello::Connected { jobs: jobs_tx, replies: replies_rx })?;
    Ok(Parent { jobs: jobs_rx, replies: replies_tx })
}
// ANCHOR_END: connect

impl<Job: Message, Reply: Message> Parent<Job, Reply> {
    /// The next job, or `None` once the parent has closed the jobs channel.
    pub fn next_job(&self) -> Result<Option<Job>> {
        match self.jobs.recv() {
            Ok(job) => Ok(Some(job)),
            Err(IpcError::Disconnected) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Sends a reply to the parent.
    pub fn reply(&self, reply: Reply) -> Result<()> {
        self.replies.send(reply).context("the parent is gone")
    }
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
