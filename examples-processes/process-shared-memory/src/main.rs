//! How can several processes update the same numbers?
//!
//! Python's `multiprocessing.Value` and `Array`, translated: memory mapped with
//! `MAP_SHARED` before forking, so that the children use the parent's pages
//! instead of copies, holding atomics, so that simultaneous additions are never
//! lost. Four children add to the shared counter and fill their own slot of the
//! shared array; they also update an ordinary counter and array, which `fork` copies.
//!
//! Watch for: the shared counter is the exact sum of the slots on every run; the
//! parent's ordinary counter and array are still zero. The children's lines
//! come in an order that changes from run to run.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use anyhow::Result;
use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, Pid, fork};
use process_toolkit::forked;

const CHILDREN: usize = 4;
/// Child n adds (n + 1) times this many, so that every slot holds a different total.
const ADDS: u64 = 100_000;

// ANCHOR: shared
/// What the shared mapping holds: Python's `Value('Q', 0)` and `Array('Q', 4)`.
/// Only atomics: the CPU makes each change indivisibly on the memory itself, with
/// no lock kept inside one process, so they work between processes that map the
/// same pages as they do between threads. (Rust offers `AtomicU64` only on CPUs
/// that can do this for 64 bits.)
#[repr(C)]
struct Shared {
    counter: AtomicU64,
    slots: [AtomicU64; CHILDREN],
}
// ANCHOR_END: shared

// ANCHOR: children
/// `fork` keeps a MAP_SHARED mapping shared, at the same address: `shared`
/// points at the same memory in the parent and in every child.
fn fork_children_and_wait(shared: &Shared) -> Result<()> {
    // Ordinary memory: `fork` gives each child a copy of these.
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
                let _ = io::stdout().flush();
                std::process::exit(0); // never return into the parent's code after fork
            }
            Ok(ForkResult::Parent { child }) => children.push(child),
            Err(err) => {
                for &child in &children {
                    let _ = kill(child, Signal::SIGKILL);
                }
                let _ = wait_all(&children); // they were killed: no need to say so
                return Err(err.into());
            }
        }
    }
    wait_all(&children)?;
    // Every child has exited, so every addition is done and visible here.
    let slots = shared.slots.each_ref().map(|slot| slot.load(Relaxed));
    let counter = shared.counter.load(Relaxed);
    println!("parent: shared counter {counter}, shared slots {slots:?}");
    println!("parent: plain counter {plain_counter}, plain slots {plain_slots:?}");
    assert_eq!(counter, slots.iter().sum::<u64>());
    Ok(())
}
// ANCHOR_END: children

/// Waits for every child, even after one has failed; an error names a child
/// that did not exit with code 0.
fn wait_all(children: &[Pid]) -> Result<()> {
    let mut failed = None;
    for &child in children {
        if let Err(err) = forked::join(child) {
            failed = Some(err);
        }
    }
    failed.map_or(Ok(()), |err| Err(err.into()))
}

fn main() -> Result<()> {
    // ANCHOR: map
    let length = NonZeroUsize::new(size_of::<Shared>()).expect("Shared is not empty");
    let access = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    // SAFETY: with no address requested, the kernel picks pages that overlap
    // no memory this program already uses.
    let mapping = unsafe { mmap_anonymous(None, length, access, MapFlags::MAP_SHARED)? };
    // SAFETY: the mapping starts on a page boundary, which satisfies Shared's
    // alignment (8); it is size_of::<Shared>() bytes long; the kernel fills it
    // with zeros, and zero bytes are a valid AtomicU64 holding 0. The function
    // returns nothing that borrows from it, so the borrow ends before munmap.
    let outcome = fork_children_and_wait(unsafe { mapping.cast::<Shared>().as_ref() });
    // SAFETY: the address and length are mmap's, and no reference into the
    // mapping is left. This removes only the parent's view: each child has its
    // own, which goes when the child exits.
    unsafe { munmap(mapping, length.get())? };
    // ANCHOR_END: map
    outcome
}
