//! pool-fib-server: the server in every mode, its Python twin, and its load table.

mod common;
mod load;
mod python;
mod server;
