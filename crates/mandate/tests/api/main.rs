//! Integration tests through the real router. Each test runs on a fresh database, on SQLite and (when
//! `MANDATE_TEST_POSTGRES_URL` is set) on PostgreSQL.

mod access_matrix;
mod cli;
mod decision_link_pages;
mod decision_links;
mod evidence;
mod harness;
mod ledger_log;
mod meeting_pages;
mod meetings;
mod objective_access;
mod objective_demo;
mod objective_pages;
mod objectives;
mod people_import;
mod platform;
mod policies;
mod resource_pages;
mod resource_register;
mod resources;
mod roles;
mod sessions;
mod setup;
mod sign_in;
mod users_api;
