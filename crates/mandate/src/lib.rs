//! Mandate: a self-hosted ISMS platform that lets top management show real involvement.
//!
//! The application lives here; `main.rs` only parses the command line. Layers:
//! `domain` (validated types and rules, no I/O), `db` (every SQL statement), `http` (routes, access rules,
//! pages and the JSON API), `cli` (the subcommands).

pub mod accounts;
pub mod blob;
pub mod cli;
pub mod clock;
pub mod communication;
pub mod config;
pub mod context;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod http;
pub mod involvement;
pub mod journal;
pub mod leadership;
pub mod measurements;
pub mod meetings;
pub mod objectives;
pub mod people_import;
pub mod phishing;
pub mod policies;
pub mod resources;
pub mod roles;
pub mod secret;
pub mod signing_key;
pub mod tasks;
