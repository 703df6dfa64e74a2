//! The process toolkit: the one library the examples share.
//!
//! Rust's standard library has threads but nothing like Python's
//! `multiprocessing`. This crate grows into that missing piece (worker
//! processes and a process pool). For now it holds the pace that every
//! example's steps follow, so that the pace is read in exactly one place.

pub mod pace;
