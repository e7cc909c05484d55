//! Reliability proofs with real parts: the `mandate` binary as a child process killed with SIGKILL, a full
//! tmpfs as its data directory, and a PostgreSQL cluster stopped and started under load.

mod crash;
mod disk_full;
mod pg;
mod pg_restart;
mod server;
mod store;
