//! What every operation that changes records needs: the database, the ledger writer, who acts, and when.

use crate::clock::UnixTime;
use crate::db::Db;
use crate::journal::{Actor, Journal};

/// The context of one change (a request, a command, a job).
pub struct Ctx<'a> {
    pub db: &'a Db,
    pub journal: &'a Journal,
    pub actor: Actor,
    pub now: UnixTime,
}
