//! Importing training completions from CSV (`email,completed_on[,score]`), as learning platforms export them: a
//! dry run reports what each row would do; the import records every completion in one transaction, and only
//! when no row has an error, so a file is never half-imported.

use super::training::{Completion, complete_all_in};
use crate::context::Ctx;
use crate::db;
use crate::domain::ids::{OrgId, TrainingId, UserId};
use crate::domain::objective::{date_text, day_of};
use crate::domain::people_import::RowError;
use crate::domain::training;
use crate::error::AppError;
use std::collections::HashSet;

/// One row's effect.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CompletionLine {
    pub line: usize,
    pub email: String,
    /// YYYY-MM-DD.
    pub completed_on: String,
    pub score: Option<f64>,
    /// What happens: recorded, or unchanged (already completed) with the date on record.
    pub change: String,
}

/// What an import did or would do.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct CompletionReport {
    /// Whether the completions were recorded (false for a dry run or when rows have errors).
    pub applied: bool,
    pub recorded: Vec<CompletionLine>,
    pub unchanged: Vec<CompletionLine>,
    pub errors: Vec<RowError>,
}

/// Reads `bytes` and, unless `dry_run`, records its completions of campaign `id` as recorded by `by`. The file is
/// checked on a read connection; the write transaction is taken only to record a file without errors (and
/// `complete_all_in` checks each enrolment again under it).
pub async fn import(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    id: TrainingId,
    bytes: &[u8],
    dry_run: bool,
) -> Result<CompletionReport, AppError> {
    let (rows, errors) = training::parse(bytes, ctx.now).map_err(AppError::Invalid)?;
    if rows.is_empty() && errors.is_empty() {
        return Err(AppError::Invalid("the file lists nobody; add one completion per line under the header".into()));
    }
    let (launched_at, enrolled, members) = {
        let mut c = ctx.db.read().await?;
        let campaign = db::training::get(&mut c.conn(), org, id, day_of(ctx.now)).await?;
        let campaign = campaign.ok_or_else(|| AppError::not_found("training campaign"))?;
        let enrolled = db::training::enrolled_by_email(&mut c.conn(), org, id).await?;
        let members: HashSet<String> =
            db::membership::emails(&mut c.conn(), org).await?.into_iter().map(|(email, _, _)| email).collect();
        (campaign.launched_at, enrolled, members)
    };
    let mut report = CompletionReport { errors, ..CompletionReport::default() };
    let mut plan = Vec::new();
    for row in rows {
        let email = row.email.to_lowercase();
        let line = CompletionLine {
            line: row.line,
            email: row.email,
            completed_on: date_text(row.completed_on),
            score: row.score,
            change: String::new(),
        };
        let message = match enrolled.get(&email) {
            Some((_, Some(done))) => {
                report
                    .unchanged
                    .push(CompletionLine { change: format!("already completed on {}", date_text(*done)), ..line });
                continue;
            }
            Some(_) if row.completed_on < day_of(launched_at) => format!(
                "completed_on {} is before the campaign was launched ({})",
                line.completed_on,
                date_text(launched_at)
            ),
            Some((user, None)) => {
                plan.push((*user, row.completed_on, row.score));
                report.recorded.push(CompletionLine { change: "completion recorded".into(), ..line });
                continue;
            }
            None if members.contains(&email) => format!("{} is not enrolled in this campaign", line.email),
            None => format!("{} is not a member of this organisation", line.email),
        };
        report.errors.push(RowError { line: line.line, message });
    }
    report.errors.sort_by_key(|e| e.line);
    if dry_run || !report.errors.is_empty() {
        return Ok(report);
    }
    let items: Vec<Completion> = plan
        .into_iter()
        .map(|(person, completed_on, score)| Completion {
            actor: ctx.actor.clone(),
            at: ctx.now,
            person,
            completed_on,
            score,
            recorded_by: by,
        })
        .collect();
    let mut tx = ctx.db.begin().await?;
    complete_all_in(ctx, &mut tx, org, id, &items).await?;
    tx.commit().await?;
    report.applied = true;
    Ok(report)
}
