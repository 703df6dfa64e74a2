//! How the server stops. The first SIGINT or SIGTERM stops it gracefully: it
//! accepts no more connections, answers the requests still in line with a
//! 503, and finishes the work in progress. A second signal, or the shutdown
//! deadline, ends it at once.
//!
//! The signals are blocked in every thread and taken by a thread of their own
//! with `sigwait`, not by the async runtime: inline, every runtime thread may
//! be busy computing, and a signal that needs one would wait for them all.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use nix::sys::signal::{SigSet, Signal};
use tokio::sync::watch;

// ANCHOR: stop
fn stop_signals() -> SigSet {
    let mut signals = SigSet::empty();
    signals.add(Signal::SIGINT);
    signals.add(Signal::SIGTERM);
    signals
}

/// In a worker process. Ctrl-C in a terminal sends SIGINT to the whole
/// process group, workers included, and a service manager may send SIGTERM
/// to every process of a service. A worker blocks both and leaves its end to
/// the server: the pool closes its channel once the work is done, and the
/// kernel kills it if the server dies (the toolkit asks for that). A worker
/// inherits the blocked set of the thread that started it, so this only
/// says what the server's threads already passed on; it keeps true however
/// the worker is started.
pub fn leave_to_the_server() -> Result<()> {
    stop_signals().thread_block()?;
    Ok(())
}

/// Takes SIGINT and SIGTERM from now on; the receiver turns true at the first.
/// Threads inherit blocked signals: call it before any other thread starts,
/// or a signal could reach a thread that does not block it, and kill us.
pub fn on_signals(deadline: Duration) -> Result<watch::Receiver<bool>> {
    let signals = stop_signals();
    signals.thread_block()?;
    let (sender, stopping) = watch::channel(false);
    thread::spawn(move || {
        let first = signals.wait().expect("sigwait on two valid signals");
        println!("{}: finishing the requests in progress", first.as_str());
        sender.send_replace(true);
        thread::spawn(move || {
            thread::sleep(deadline);
            stop_now("the shutdown deadline has passed");
        });
        let second = signals.wait().expect("sigwait on two valid signals");
        stop_now(&format!("{} again", second.as_str()));
    });
    Ok(stopping)
}

fn stop_now(why: &str) -> ! {
    println!("{why}: stopping now, unfinished work is dropped");
    // `exit` runs no destructor (the pool's would wait for its workers): the
    // kernel kills the workers as this process ends.
    std::process::exit(1);
}
// ANCHOR_END: stop
