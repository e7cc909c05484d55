//! Resource commitments, their spending and time entries, and the register's settings. Every statement is
//! scoped by `org_id`. Sums come back as `bigint` on both backends (PostgreSQL's `sum` would be `numeric`).

use super::decision::{DecisionCite, cite_columns, cite_join};
use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{CommitmentId, DecisionId, OrgId, UserId};

pub mod entry;
mod setting;

pub use setting::{SettingRow, save_settings, settings};

/// The columns of a commitment row, for `concat!`.
macro_rules! commitment_columns {
    () => {
        "c.id, c.title, c.purpose, c.initiative, c.objective_id, c.currency, c.requested_minor, \
         c.requested_days_x100, c.due_on, c.requested_by, c.status, c.approved_minor, c.approved_days_x100, \
         c.decided_by, c.decided_at, c.decision_ref, c.refusal_reason, c.closed_by, c.closed_at, c.unspent_minor, \
         c.disposition, c.close_note, c.decision_id, c.created_at, c.updated_at"
    };
}

/// A commitment as stored.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CommitmentRow {
    pub id: CommitmentId,
    pub title: String,
    pub purpose: String,
    pub initiative: String,
    pub objective_id: Option<i64>,
    pub currency: String,
    pub requested_minor: i64,
    pub requested_days_x100: i64,
    pub due_on: UnixTime,
    pub requested_by: UserId,
    pub status: String,
    pub approved_minor: Option<i64>,
    pub approved_days_x100: Option<i64>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<UnixTime>,
    pub decision_ref: Option<String>,
    pub refusal_reason: Option<String>,
    pub closed_by: Option<UserId>,
    pub closed_at: Option<UnixTime>,
    pub unspent_minor: Option<i64>,
    pub disposition: Option<String>,
    pub close_note: Option<String>,
    /// The meeting decision the approval rests on; left out of the ledger state when there is none, so
    /// commitments that cite none hash as they always did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<DecisionId>,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

/// A commitment with the names of the people involved and its sums (net of reversals).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitmentLine {
    #[sqlx(flatten)]
    pub row: CommitmentRow,
    pub requester_name: String,
    pub decider_name: Option<String>,
    pub closer_name: Option<String>,
    pub spent_minor: i64,
    pub spent_days_x100: i64,
    pub spent_by_due_minor: i64,
    pub spent_by_due_days_x100: i64,
    pub entry_count: i64,
    #[sqlx(flatten)]
    pub cite: DecisionCite,
}

/// What a new commitment holds.
#[derive(Debug, Clone)]
pub struct NewCommitment<'a> {
    pub title: &'a str,
    pub purpose: &'a str,
    pub initiative: &'a str,
    pub objective_id: Option<i64>,
    pub currency: &'a str,
    pub requested_minor: i64,
    pub requested_days_x100: i64,
    pub due_on: UnixTime,
    pub requested_by: UserId,
}

pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    new: &NewCommitment<'_>,
    now: UnixTime,
) -> Result<CommitmentId, DbError> {
    const SQL: &str = "insert into resource_commitment (org_id, title, purpose, initiative, objective_id, currency, \
                       requested_minor, requested_days_x100, due_on, requested_by, status, created_at, updated_at) \
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested', $11, $11) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(new.title).bind(new.purpose).bind(new.initiative)
        .bind(new.objective_id).bind(new.currency).bind(new.requested_minor).bind(new.requested_days_x100)
        .bind(new.due_on).bind(new.requested_by).bind(now).fetch_one(&mut **c).await)?)
}

/// Reads a commitment for a change, holding its row until the transaction ends (PostgreSQL `for update`;
/// SQLite's write transaction already excludes other writers), so two changes cannot interleave.
pub async fn lock(c: &mut Conn<'_>, org: OrgId, id: CommitmentId) -> Result<Option<CommitmentRow>, DbError> {
    const SQLITE: &str =
        concat!("select ", commitment_columns!(), " from resource_commitment c where c.org_id = $1 and c.id = $2");
    const POSTGRES: &str = concat!(
        "select ",
        commitment_columns!(),
        " from resource_commitment c where c.org_id = $1 and c.id = $2 for update"
    );
    Ok(match c {
        Conn::Sqlite(c) => sqlx::query_as(SQLITE).bind(org).bind(id).fetch_optional(&mut **c).await?,
        Conn::Postgres(c) => sqlx::query_as(POSTGRES).bind(org).bind(id).fetch_optional(&mut **c).await?,
    })
}

/// The select list and joins of a commitment with its people's names and sums, for `concat!`. Sums are net of
/// reversals; "by due" counts entries dated on or before the due date.
macro_rules! select_lines {
    () => {
        concat!(
            "select ",
            commitment_columns!(),
            ", r.name as requester_name, d.name as decider_name, x.name as closer_name, ",
            "cast(coalesce(sum(e.amount_minor), 0) as bigint) as spent_minor, ",
            "cast(coalesce(sum(e.days_x100), 0) as bigint) as spent_days_x100, ",
            "cast(coalesce(sum(case when e.spent_on <= c.due_on then e.amount_minor else 0 end), 0) as bigint) ",
            "as spent_by_due_minor, ",
            "cast(coalesce(sum(case when e.spent_on <= c.due_on then e.days_x100 else 0 end), 0) as bigint) ",
            "as spent_by_due_days_x100, ",
            "count(e.id) as entry_count, ",
            cite_columns!(),
            " from resource_commitment c join app_user r on r.id = c.requested_by ",
            cite_join!("c"),
            "left join app_user d on d.id = c.decided_by left join app_user x on x.id = c.closed_by ",
            "left join resource_entry e on e.org_id = c.org_id and e.commitment_id = c.id "
        )
    };
}

/// How the register is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Soonest due first.
    #[default]
    Due,
    /// Most recently requested first.
    Newest,
    /// Largest approved (or, before a decision, requested) amount first.
    Amount,
    Title,
    /// Requested, approved, refused, closed.
    Status,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Sort::Due => "c.due_on, c.id desc",
            Sort::Newest => "c.id desc",
            Sort::Amount => "coalesce(c.approved_minor, c.requested_minor) desc, c.id desc",
            Sort::Title => "lower(c.title), c.id desc",
            Sort::Status => {
                "case c.status when 'requested' then 0 when 'approved' then 1 when 'refused' then 2 else 3 end, c.id desc"
            }
        }
    }
}

/// Which commitments to read, in what order.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineQuery<'a> {
    pub status: Option<&'a str>,
    pub sort: Sort,
    pub limit: i64,
    pub offset: i64,
}

/// A page of `org`'s commitments with their sums. The page is chosen first, so the sums are computed for its
/// rows only.
pub async fn lines(c: &mut Conn<'_>, org: OrgId, q: &LineQuery<'_>) -> Result<Vec<CommitmentLine>, DbError> {
    // The ORDER BY clause comes from the closed set in `Sort`, never from the caller.
    let order = q.sort.order_by();
    let sql = format!(
        "with page as (select c.id from resource_commitment c where c.org_id = $1 and ($2 is null or c.status = $2) \
         order by {order} limit $3 offset $4) {} join page p on p.id = c.id \
         group by c.id, r.id, d.id, x.id, cd.id, cm.id order by {order}",
        select_lines!()
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(q.status).bind(q.limit)
        .bind(q.offset).fetch_all(&mut **c).await)?)
}

/// One commitment with its sums.
pub async fn line(c: &mut Conn<'_>, org: OrgId, id: CommitmentId) -> Result<Option<CommitmentLine>, DbError> {
    const SQL: &str =
        concat!(select_lines!(), "where c.org_id = $1 and c.id = $2 group by c.id, r.id, d.id, x.id, cd.id, cm.id");
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_optional(&mut **c).await)?)
}

/// Sums over every commitment of one status and currency (what the register's totals add up).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TotalsRow {
    pub status: String,
    pub currency: String,
    pub commitments: i64,
    pub requested_minor: i64,
    pub approved_minor: i64,
    pub spent_minor: i64,
    pub requested_days_x100: i64,
    pub approved_days_x100: i64,
    pub spent_days_x100: i64,
}

/// `org`'s commitments (of one status, or all) summed by status and currency.
pub async fn totals(c: &mut Conn<'_>, org: OrgId, status: Option<&str>) -> Result<Vec<TotalsRow>, DbError> {
    const SQL: &str = concat!(
        "select c.status, c.currency, count(*) as commitments, ",
        "cast(sum(c.requested_minor) as bigint) as requested_minor, ",
        "cast(sum(coalesce(c.approved_minor, 0)) as bigint) as approved_minor, ",
        "cast(sum(coalesce(s.spent_minor, 0)) as bigint) as spent_minor, ",
        "cast(sum(c.requested_days_x100) as bigint) as requested_days_x100, ",
        "cast(sum(coalesce(c.approved_days_x100, 0)) as bigint) as approved_days_x100, ",
        "cast(sum(coalesce(s.spent_days_x100, 0)) as bigint) as spent_days_x100 ",
        "from resource_commitment c left join (select e.commitment_id, sum(e.amount_minor) as spent_minor, ",
        "sum(e.days_x100) as spent_days_x100 from resource_entry e where e.org_id = $1 group by e.commitment_id) s ",
        "on s.commitment_id = c.id where c.org_id = $1 and ($2 is null or c.status = $2) ",
        "group by c.status, c.currency order by c.status, c.currency"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(status).fetch_all(&mut **c).await)?)
}

/// A decision on a requested commitment.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub status: &'a str,
    pub approved_minor: Option<i64>,
    pub approved_days_x100: Option<i64>,
    pub decided_by: UserId,
    pub decision_ref: &'a str,
    pub refusal_reason: Option<&'a str>,
}

/// Records a decision; a commitment that is no longer requested is [`DbError::Conflict`].
pub async fn decide(
    c: &mut Conn<'_>,
    org: OrgId,
    id: CommitmentId,
    d: &Decision<'_>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update resource_commitment set status = $3, approved_minor = $4, approved_days_x100 = $5, \
                       decided_by = $6, decided_at = $7, decision_ref = $8, refusal_reason = $9, updated_at = $7 \
                       where org_id = $1 and id = $2 and status = 'requested'";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(d.status).bind(d.approved_minor)
        .bind(d.approved_days_x100).bind(d.decided_by).bind(now).bind(d.decision_ref).bind(d.refusal_reason)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

/// How a commitment was closed.
#[derive(Debug, Clone)]
pub struct Closing<'a> {
    pub closed_by: UserId,
    pub unspent_minor: i64,
    pub disposition: &'a str,
    pub close_note: &'a str,
}

/// Closes an approved commitment; one that is not approved is [`DbError::Conflict`].
pub async fn close(
    c: &mut Conn<'_>,
    org: OrgId,
    id: CommitmentId,
    closing: &Closing<'_>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update resource_commitment set status = 'closed', closed_by = $3, closed_at = $4, \
                       unspent_minor = $5, disposition = $6, close_note = $7, updated_at = $4 \
                       where org_id = $1 and id = $2 and status = 'approved'";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(closing.closed_by).bind(now)
        .bind(closing.unspent_minor).bind(closing.disposition).bind(closing.close_note)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}
