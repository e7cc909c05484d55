//! Integration tests through the real router. Each test runs on a fresh database, on SQLite and (when
//! `MANDATE_TEST_POSTGRES_URL` is set) on PostgreSQL.

mod access_matrix;
mod cli;
mod communication;
mod decision_link_pages;
mod decision_links;
mod detector_cases;
mod detector_meeting_cases;
mod evidence;
mod finding_withdrawal;
mod findings;
mod harness;
mod involvement;
mod leadership_demo;
mod leadership_index;
mod ledger_log;
mod meeting_pages;
mod meetings;
mod objective_access;
mod objective_demo;
mod objective_pages;
mod objectives;
mod people_import;
mod phishing;
mod platform;
mod policies;
mod resource_pages;
mod resource_register;
mod resources;
mod reviews;
mod roles;
mod sessions;
mod setup;
mod sign_in;
mod training;
mod users_api;
