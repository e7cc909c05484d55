//! The demo's links between leadership records and the meeting decisions they rest on. The other seeders record
//! approvals and appointments citing minutes in words only; here, for one approved resource commitment, one
//! appointment and one approved policy version, the last management-team meeting before the approval records the
//! decision, and the record is linked to it an hour after the approval with its own `link_decision` ledger event
//! (as a manager tidying the register would), so the ledger tells the order in which things happened.

use super::DemoOrg;
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::decision::LinkTable;
use crate::db::resource::{LineQuery, Sort};
use crate::db::{self, Tx};
use crate::domain::ids::{MeetingId, UserId};
use crate::domain::meeting::Topic;
use crate::error::AppError;
use crate::meetings::decisions::{DecisionInput, record_decision};
use crate::meetings::links::link_in;

/// A management-team meeting as written: when it was recorded, and by whom.
#[derive(Debug, Clone, Copy)]
pub struct Held {
    pub recorded_at: UnixTime,
    pub meeting: MeetingId,
    pub by: UserId,
}

/// A record to link: which, when it was approved, by whom, and what the decision said.
struct Target {
    table: LinkTable,
    id: i64,
    approved_at: UnixTime,
    decided_by: UserId,
    text: String,
    topic: Topic,
}

/// Links one record of each kind to a decision of the meeting before its approval. `held` is in time order.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, held: &[Held]) -> Result<(), AppError> {
    let Some(first) = held.first() else { return Ok(()) };
    // A record approved before the first meeting was written down has no meeting to rest on.
    let after = first.recorded_at + 3600;
    for target in targets(tx, demo, after).await? {
        let Some(meeting) = held.iter().rev().find(|h| h.recorded_at + 3600 < target.approved_at) else { continue };
        let when = meeting.recorded_at + 50 * 60;
        let input =
            DecisionInput { agenda_item: None, text: target.text, decided_by: target.decided_by, topic: target.topic };
        let (decision, change) = record_decision(tx, demo.org, meeting.meeting, meeting.by, &input, when).await?;
        let actor = demo.ctx(ctx, meeting.by, when).actor;
        ctx.journal.append(tx, demo.org, &actor, change, when).await?;
        let linked_at = target.approved_at + 3600;
        link_in(&demo.ctx(ctx, meeting.by, linked_at), tx, demo.org, target.table, target.id, decision).await?;
    }
    Ok(())
}

/// The most recent approved commitment, appointment and approved policy version recorded after `after`.
async fn targets(tx: &mut Tx, demo: &DemoOrg, after: UnixTime) -> Result<Vec<Target>, AppError> {
    let mut out = Vec::new();
    let query = LineQuery { status: Some("approved"), sort: Sort::Newest, limit: 200, offset: 0 };
    let lines = db::resource::lines(&mut tx.conn(), demo.org, &query).await?;
    if let Some((line, at, by)) = lines.iter().find_map(|l| {
        let r = &l.row;
        r.decided_at.filter(|at| *at > after).zip(r.decided_by).map(|(at, by)| (l, at, by))
    }) {
        let text = format!("Approve the resources asked for '{}'", line.row.title);
        out.push(Target {
            table: LinkTable::ResourceCommitment,
            id: line.row.id.0,
            approved_at: at,
            decided_by: by,
            text,
            topic: Topic::Resources,
        });
    }
    let filter = db::appointment::Filter::default();
    let (rows, _) = db::appointment::list(&mut tx.conn(), demo.org, &filter, demo.now, 200, 0).await?;
    if let Some(a) = rows.iter().find(|a| a.created_at > after && a.ended_at.is_none()) {
        let text = format!("Appoint {} as {}", a.user_name, a.role_name);
        out.push(Target {
            table: LinkTable::Appointment,
            id: a.id.0,
            approved_at: a.created_at,
            decided_by: a.appointed_by,
            text,
            topic: Topic::Roles,
        });
    }
    let (policies, _) = db::policy::list(&mut tx.conn(), demo.org, &db::policy::Filter::default(), 100, 0).await?;
    for policy in &policies {
        let versions = db::policy_version::list(&mut tx.conn(), demo.org, policy.id).await?;
        let approved = versions.iter().find_map(|v| match (v.approved_at, v.approved_by) {
            (Some(at), Some(by)) if at > after => Some((v, at, by)),
            _ => None,
        });
        if let Some((v, at, by)) = approved {
            let text = format!("Approve version {} of '{}'", v.number, policy.title);
            out.push(Target {
                table: LinkTable::PolicyVersion,
                id: v.id.0,
                approved_at: at,
                decided_by: by,
                text,
                topic: Topic::Policies,
            });
            break;
        }
    }
    Ok(out)
}
