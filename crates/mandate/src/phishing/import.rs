//! Importing a simulation's results from GoPhish's campaign results CSV. The file is checked whole first: any
//! problem and nothing is imported. A good file replaces the simulation's results, all of them, in one
//! transaction with one ledger event carrying the counts and the file's SHA-256 (re-importing a campaign's
//! later export is the normal way to bring results up to date). Rows are matched to members by e-mail; the
//! department comes from the member, unmatched rows are kept and counted.

use super::{SIMULATION, load};
use crate::context::Ctx;
use crate::db::phishing::{ImportSummary, NewResult};
use crate::db::{self, Tx};
use crate::domain::ids::{OrgId, SimulationId, UserId};
use crate::domain::phishing::gophish::{self, Problem, ResultLine};
use crate::domain::phishing::{Rates, Tally};
use crate::error::AppError;
use crate::journal::Change;
use sha2::Digest;
use std::collections::HashMap;

/// What an import did, or would do.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Whether the results were stored (false for a dry run and for a file with problems).
    pub applied: bool,
    pub dry_run: bool,
    /// SHA-256 of the file as received (hex).
    pub sha256: String,
    /// How many results the simulation had before; an applied import replaces them all.
    pub replaced: i64,
    /// Results matched to a member by e-mail address, and those kept without one.
    pub matched: i64,
    pub unmatched: i64,
    pub tally: Tally,
    pub rates: Rates,
    /// Every problem found; when there is any, nothing is imported.
    pub problems: Vec<Problem>,
}

/// The import's ledger record.
#[derive(serde::Serialize)]
struct ImportState<'a> {
    sha256: &'a str,
    replaced: i64,
    matched: i64,
    unmatched: i64,
    tally: Tally,
}

/// Reads `bytes` and, unless `dry_run` or the file has problems, replaces simulation `id`'s results. The file is
/// hashed, parsed and matched to members before the write transaction begins, so checking a large file (or one
/// with problems) never holds up other writers.
pub async fn import(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: SimulationId,
    by: UserId,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let parsed = gophish::parse(bytes);
    let (existing, members) = {
        let mut c = ctx.db.read().await?;
        let simulation = db::phishing::get(&mut c.conn(), org, id).await?;
        let simulation = simulation.ok_or_else(|| AppError::not_found("phishing simulation"))?;
        let members = if parsed.is_ok() { member_map(&mut c.conn(), org).await? } else { HashMap::new() };
        (simulation.result_count, members)
    };
    let (mut report, lines) = plan(bytes, parsed, existing, &members, dry_run);
    if dry_run || !report.problems.is_empty() {
        return Ok(report);
    }
    let mut tx = ctx.db.begin().await?;
    // The count of results replaced is read again under the lock: another import may have run since.
    report.replaced =
        db::phishing::lock(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("phishing simulation"))?;
    apply(ctx, &mut tx, org, id, by, &mut report, &lines, &members).await?;
    tx.commit().await?;
    Ok(report)
}

/// [`import`] inside `tx` (the demo builds its history in one transaction); the caller commits when `applied`.
pub async fn import_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: SimulationId,
    by: UserId,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    load(tx, org, id).await?;
    let replaced = db::phishing::lock(&mut tx.conn(), org, id).await?.unwrap_or(0);
    let members = member_map(&mut tx.conn(), org).await?;
    let (mut report, lines) = plan(bytes, gophish::parse(bytes), replaced, &members, dry_run);
    if !dry_run && report.problems.is_empty() {
        apply(ctx, tx, org, id, by, &mut report, &lines, &members).await?;
    }
    Ok(report)
}

/// Members by e-mail address: (user, department).
async fn member_map(c: &mut db::Conn<'_>, org: OrgId) -> Result<HashMap<String, (UserId, Option<String>)>, AppError> {
    let rows = db::membership::emails(c, org).await?;
    Ok(rows.into_iter().map(|(email, user, department)| (email, (user, department))).collect())
}

/// The report of a parsed file: its problems, or what importing it does.
fn plan(
    bytes: &[u8],
    parsed: Result<Vec<ResultLine>, Vec<Problem>>,
    replaced: i64,
    members: &HashMap<String, (UserId, Option<String>)>,
    dry_run: bool,
) -> (ImportReport, Vec<ResultLine>) {
    let sha256 = hex::encode(sha2::Sha256::digest(bytes));
    let mut report = ImportReport { dry_run, sha256, replaced, ..ImportReport::default() };
    let lines = match parsed {
        Ok(lines) => lines,
        Err(problems) => {
            report.problems = problems;
            return (report, Vec::new());
        }
    };
    for line in &lines {
        let member = members.get(&line.email);
        report.tally.add(line.stage, line.reported);
        report.matched += i64::from(member.is_some());
    }
    report.unmatched = report.tally.results - report.matched;
    report.rates = report.tally.rates();
    (report, lines)
}

/// Replaces the simulation's results with `lines` and ledgers the import, inside `tx`.
#[allow(clippy::too_many_arguments)]
async fn apply(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: SimulationId,
    by: UserId,
    report: &mut ImportReport,
    lines: &[ResultLine],
    members: &HashMap<String, (UserId, Option<String>)>,
) -> Result<(), AppError> {
    let rows: Vec<NewResult<'_>> = lines.iter().map(|line| result_row(line, members.get(&line.email))).collect();
    let summary =
        ImportSummary { at: ctx.now, by, sha256: &report.sha256, tally: report.tally, matched: report.matched };
    db::phishing::replace_results(&mut tx.conn(), org, id, &rows, &summary).await?;
    let state = ImportState {
        sha256: &report.sha256,
        replaced: report.replaced,
        matched: report.matched,
        unmatched: report.unmatched,
        tally: report.tally,
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("import_results", SIMULATION, id, &state), ctx.now).await?;
    report.applied = true;
    Ok(())
}

fn result_row<'a>(line: &'a ResultLine, member: Option<&'a (UserId, Option<String>)>) -> NewResult<'a> {
    NewResult {
        line: line.line,
        gophish_id: &line.gophish_id,
        email: &line.email,
        first_name: &line.first_name,
        last_name: &line.last_name,
        position: &line.position,
        status: &line.status,
        stage: line.stage.code(),
        reported: line.reported,
        sent_at: line.sent_at,
        modified_at: line.modified_at,
        user_id: member.map(|m| m.0),
        department: member.and_then(|m| m.1.as_deref()),
    }
}

/// The largest results file taken (a campaign of 200,000 recipients fits).
pub const MAX_FILE_BYTES: usize = 48 * 1024 * 1024;
/// The largest request carrying one: the file and, for the page's form, its encoding and other fields.
pub const MAX_REQUEST_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;
