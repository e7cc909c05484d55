//! Validated types and the rules of the ISMS. No I/O here.

pub mod appointment;
pub mod campaign;
pub mod communication;
pub mod file_type;
pub mod identity;
pub mod ids;
pub mod involvement;
pub mod leadership;
pub mod markdown;
pub mod measurement;
pub mod meeting;
pub mod objective;
pub mod password;
pub mod people_import;
pub mod phishing;
pub mod policy;
pub mod policy_exception;
pub mod progress;
pub mod raci;
pub mod record_link;
pub mod resource;
pub mod role;
pub mod role_catalogue;
pub mod segregation;
pub mod sign_in;
pub mod training;

/// A rule broken by input a person supplied; the message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
