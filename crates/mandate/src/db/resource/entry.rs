//! Spending and time entries against a commitment. Rows are only ever inserted: a counter-entry (`reverses`)
//! undoes one, and the unique index on `reverses` lets each entry be reversed once.

use crate::clock::UnixTime;
use crate::db::{Conn, DbError, on_conn};
use crate::domain::ids::{CommitmentId, EvidenceId, OrgId, ResourceEntryId, UserId};

/// An entry with the people's names and the counter-entry that reversed it, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: ResourceEntryId,
    pub commitment_id: CommitmentId,
    pub spent_on: UnixTime,
    pub amount_minor: i64,
    pub days_x100: i64,
    pub person_id: UserId,
    pub person_name: String,
    pub note: String,
    pub reverses: Option<ResourceEntryId>,
    pub reversed_by: Option<ResourceEntryId>,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub recorded_at: UnixTime,
}

/// What a new entry holds.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub spent_on: UnixTime,
    pub amount_minor: i64,
    pub days_x100: i64,
    pub person_id: UserId,
    pub note: &'a str,
    pub reverses: Option<ResourceEntryId>,
    pub recorded_by: UserId,
}

/// Inserts an entry; reversing an entry a second time is [`DbError::Conflict`].
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    commitment: CommitmentId,
    new: &NewEntry<'_>,
    now: UnixTime,
) -> Result<ResourceEntryId, DbError> {
    const SQL: &str = "insert into resource_entry (org_id, commitment_id, spent_on, amount_minor, days_x100, \
                       person_id, note, reverses, recorded_by, recorded_at) \
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(commitment).bind(new.spent_on)
        .bind(new.amount_minor).bind(new.days_x100).bind(new.person_id).bind(new.note).bind(new.reverses)
        .bind(new.recorded_by).bind(now).fetch_one(&mut **c).await)?)
}

/// The select list and joins of an entry query, for `concat!`.
macro_rules! select_entries {
    () => {
        "select e.id, e.commitment_id, e.spent_on, e.amount_minor, e.days_x100, e.person_id, \
         p.name as person_name, e.note, e.reverses, rv.id as reversed_by, e.recorded_by, \
         w.name as recorder_name, e.recorded_at \
         from resource_entry e join app_user p on p.id = e.person_id join app_user w on w.id = e.recorded_by \
         left join resource_entry rv on rv.org_id = e.org_id and rv.reverses = e.id "
    };
}

/// One entry of a commitment.
pub async fn get(
    c: &mut Conn<'_>,
    org: OrgId,
    commitment: CommitmentId,
    id: ResourceEntryId,
) -> Result<Option<EntryRow>, DbError> {
    const SQL: &str = concat!(select_entries!(), "where e.org_id = $1 and e.commitment_id = $2 and e.id = $3");
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(commitment).bind(id).fetch_optional(&mut **c).await)?)
}

/// A page of a commitment's entries in the order they were spent, and how many there are in all.
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    commitment: CommitmentId,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EntryRow>, i64), DbError> {
    const SQL: &str = concat!(
        select_entries!(),
        "where e.org_id = $1 and e.commitment_id = $2 order by e.spent_on, e.id limit $3 offset $4"
    );
    const COUNT: &str = "select count(*) from resource_entry where org_id = $1 and commitment_id = $2";
    let rows = on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(commitment)
        .bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(COUNT).bind(org).bind(commitment).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// Current evidence attached to a commitment's entries: (entry, evidence, title), oldest first.
pub async fn evidence(
    c: &mut Conn<'_>,
    org: OrgId,
    commitment: CommitmentId,
) -> Result<Vec<(ResourceEntryId, EvidenceId, String)>, DbError> {
    const SQL: &str = "select e.id, v.id, v.title from resource_entry e join evidence v on v.org_id = e.org_id \
                       and v.record_type = 'resource_entry' and v.record_id = cast(e.id as text) \
                       where e.org_id = $1 and e.commitment_id = $2 and v.superseded_by is null order by v.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(commitment).fetch_all(&mut **c).await)?)
}
