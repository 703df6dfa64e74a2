//! How can several processes update the same numbers?
//!
//! Python's `multiprocessing.Value` and `Array`, translated: atomics in memory
//! mapped with `MAP_SHARED` before forking, so that the children use the
//! parent's pages instead of copies, and no simultaneous addition is lost. Four
//! children add to the shared counter and fill their slot of the shared array,
//! and do the same to an ordinary counter and array, which `fork` copies.
//!
//!     cargo run -p process-shared-memory
//!
//! Watch for: the shared counter is the exact sum of the slots on every run;
//! the parent's ordinary counter and array are still zero.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use anyhow::{Result, bail};
use clap::Parser;
use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous};
use nix::sys::signal::{Signal, raise};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

/// Four child processes add to numbers in memory they share with their parent.
#[derive(Parser)]
struct Args {}

// ANCHOR: shared
const CHILDREN: usize = 4;
/// Child n adds (n + 1) times this many, so that every slot holds a different total.
const ADDS: u64 = 100_000;

/// What the shared mapping holds: Python's `Value('Q', 0)` and `Array('Q', 4)`,
/// as atomics, which the CPU changes indivisibly in the memory itself, whoever maps it.
#[repr(C)]
struct Shared {
    counter: AtomicU64,
    slots: [AtomicU64; CHILDREN],
}
// ANCHOR_END: shared

// ANCHOR: wait
/// Waits for every child, as Python's `join` does, then fails if one did not exit with 0.
fn wait_all(children: Vec<Pid>) -> Result<()> {
    let ended: Vec<_> = children.iter().map(|&child| waitpid(child, None)).collect();
    for status in ended {
        match status? {
            WaitStatus::Exited(_, 0) => {}
            // It wrote to a closed stdout (`| head -1`): end as quietly as it did.
            WaitStatus::Signaled(_, Signal::SIGPIPE, _) => raise(Signal::SIGPIPE)?,
            status => bail!("a child failed: {status:?}"),
        }
    }
    Ok(())
}
// ANCHOR_END: wait

fn main() -> Result<()> {
    sigpipe::reset();
    let Args {} = Args::parse();
    // ANCHOR: map
    let length = NonZeroUsize::new(size_of::<Shared>()).expect("Shared is not empty");
    let access = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    // SAFETY: with no address asked for, the new pages overlap no memory in use.
    let mapping = unsafe { mmap_anonymous(None, length, access, MapFlags::MAP_SHARED)? };
    // SAFETY: the mapping starts on a page boundary, which satisfies Shared's
    // alignment (8); it is size_of::<Shared>() bytes long; the kernel fills it
    // with zeros, and zero bytes are a valid AtomicU64 holding 0. It is never
    // unmapped, so it lives as long as the program.
    let shared: &'static Shared = unsafe { mapping.cast().as_ref() };
    // ANCHOR_END: map

    // ANCHOR: children
    // `fork` keeps a MAP_SHARED mapping shared, at the same address: `shared`
    // is the same memory in every child. Ordinary memory is copied: these are not.
    let mut plain_counter = 0_u64;
    let mut plain_slots = [0_u64; CHILDREN];
    let mut children = Vec::new();
    for (number, adds) in (1..=CHILDREN as u64).map(|n| n * ADDS).enumerate() {
        io::stdout().flush()?; // else a child inherits unprinted output and prints it again
        // SAFETY: this program never starts a thread, so each child is a full
        // copy of a single-threaded process and may run any code.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => {
                for _ in 0..adds {
                    shared.counter.fetch_add(1, Relaxed); // read, add, write: one step
                    plain_counter += 1;
                }
                shared.slots[number].store(adds, Relaxed);
                plain_slots[number] = adds;
                println!(
                    "child {number}: {adds} additions; \
                     plain counter {plain_counter}, plain slots {plain_slots:?}"
                );
                std::process::exit(0); // never return into the parent's code after fork
            }
            Ok(ForkResult::Parent { child }) => children.push(child),
            Err(err) => return wait_all(children).and(Err(err.into())),
        }
    }
    wait_all(children)?;
    // Every child has exited, so every addition is done and visible here.
    let slots = shared.slots.each_ref().map(|slot| slot.load(Relaxed));
    let counter = shared.counter.load(Relaxed);
    println!("parent: shared counter {counter}, shared slots {slots:?}");
    println!("parent: plain counter {plain_counter}, plain slots {plain_slots:?}");
    assert_eq!(counter, slots.iter().sum::<u64>());
    Ok(())
}
// ANCHOR_END: children
