//! The records behind one kind of evidence on the Leadership Evidence Index, newest first, each with the label
//! and the person it names, so a verdict is one click from what it rests on.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::OrgId;
use crate::domain::leadership::EvidenceKind;

/// One record behind a verdict.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct EvidenceRecord {
    pub record_type: String,
    pub id: i64,
    pub label: String,
    pub day: UnixTime,
    /// The person the record names (the approver, the chair, the communicator …).
    pub person: Option<String>,
    /// Whether a top manager made it themselves.
    pub own: bool,
}

/// The query for `kind`, with `$1` the organisation and `$2`/`$3` the first and last day; `tm` is the
/// organisation's top managers.
fn sql(kind: EvidenceKind) -> String {
    let body = match kind {
        EvidenceKind::PolicyApproved => {
            "select 'policy' as record_type, p.id, p.title || ' v' || cast(v.number as text) as label, \
             (v.approved_at / 86400) * 86400 as day, u.name as person, 1 as own \
             from policy_version v join policy p on p.id = v.policy_id left join app_user u on u.id = v.approved_by \
             where v.org_id = $1 and v.approved_at >= $2 and v.approved_at < $3 + 86400"
        }
        EvidenceKind::PolicyReviewed => {
            "select 'policy' as record_type, p.id, p.title || ' reviewed' as label, (r.reviewed_at / 86400) * 86400 as day, \
             u.name as person, case when r.reviewed_by in (select user_id from tm) then 1 else 0 end as own \
             from policy_review r join policy p on p.id = r.policy_id left join app_user u on u.id = r.reviewed_by \
             where r.org_id = $1 and r.reviewed_at >= $2 and r.reviewed_at < $3 + 86400"
        }
        EvidenceKind::ObjectiveSet => {
            "select 'objective' as record_type, o.id, o.statement as label, (o.created_at / 86400) * 86400 as day, \
             u.name as person, case when o.created_by in (select user_id from tm) then 1 else 0 end as own \
             from objective o left join app_user u on u.id = o.owner_id \
             where o.org_id = $1 and o.created_at >= $2 and o.created_at < $3 + 86400"
        }
        EvidenceKind::ObjectiveMeasured => {
            "select 'objective' as record_type, o.id, 'Measured: ' || o.statement as label, m.measured_on as day, \
             u.name as person, case when m.measured_by in (select user_id from tm) then 1 else 0 end as own \
             from measurement m join objective o on o.id = m.objective_id left join app_user u on u.id = m.measured_by \
             where m.org_id = $1 and m.withdrawn_at is null and m.measured_on >= $2 and m.measured_on <= $3"
        }
        EvidenceKind::ResourceApproved => {
            "select 'resource_commitment' as record_type, c.id, c.title as label, (c.decided_at / 86400) * 86400 as day, \
             u.name as person, 1 as own \
             from resource_commitment c left join app_user u on u.id = c.decided_by \
             where c.org_id = $1 and c.status in ('approved', 'closed') and c.decided_at >= $2 \
             and c.decided_at < $3 + 86400"
        }
        EvidenceKind::ResourceSpent => {
            "select 'resource_commitment' as record_type, c.id, 'Spent on: ' || c.title as label, e.spent_on as day, \
             u.name as person, 1 as own \
             from resource_entry e join resource_commitment c on c.id = e.commitment_id \
             left join app_user u on u.id = e.person_id \
             where e.org_id = $1 and e.reverses is null and e.spent_on >= $2 and e.spent_on <= $3"
        }
        EvidenceKind::Appointment => {
            "select 'appointment' as record_type, a.id, r.name || ': ' || p.name as label, a.appointed_on as day, \
             u.name as person, 1 as own \
             from appointment a join catalogue_role r on r.id = a.role_id join app_user p on p.id = a.user_id \
             left join app_user u on u.id = a.appointed_by \
             where a.org_id = $1 and a.appointed_on >= $2 and a.appointed_on <= $3"
        }
        EvidenceKind::CommunicationSent => {
            "select 'communication' as record_type, c.id, c.subject as label, c.sent_on as day, u.name as person, \
             case when c.recorded_by = c.communicator_id then 1 else 0 end as own \
             from communication c left join app_user u on u.id = c.communicator_id \
             where c.org_id = $1 and c.communicator_id in (select user_id from tm) and c.sent_on >= $2 and c.sent_on <= $3"
        }
        EvidenceKind::MeetingDecided => {
            "select 'meeting' as record_type, m.id, m.title as label, m.held_on as day, u.name as person, \
             case when m.chair_id in (select user_id from tm) then 1 else 0 end as own \
             from meeting m left join app_user u on u.id = m.chair_id \
             where m.org_id = $1 and m.held_on >= $2 and m.held_on <= $3 \
             and exists (select 1 from decision d where d.org_id = m.org_id and d.meeting_id = m.id)"
        }
        EvidenceKind::ActionDone => {
            "select 'action' as record_type, a.id, a.title as label, (a.closed_at / 86400) * 86400 as day, \
             u.name as person, case when a.owner_id in (select user_id from tm) then 1 else 0 end as own \
             from meeting_action a left join app_user u on u.id = a.owner_id \
             where a.org_id = $1 and a.status = 'done' and a.closed_at >= $2 and a.closed_at < $3 + 86400"
        }
        EvidenceKind::ReviewClosed => {
            "select 'management_review' as record_type, r.id, r.title as label, (r.closed_at / 86400) * 86400 as day, \
             u.name as person, 1 as own \
             from management_review r left join app_user u on u.id = r.chair_id \
             where r.org_id = $1 and r.closed_at >= $2 and r.closed_at < $3 + 86400"
        }
        EvidenceKind::Involvement => {
            "select 'involvement' as record_type, i.id, i.place as label, i.occurred_on as day, u.name as person, \
             case when i.recorded_by = i.manager_id then 1 else 0 end as own \
             from management_involvement i left join app_user u on u.id = i.manager_id \
             where i.org_id = $1 and i.occurred_on >= $2 and i.occurred_on <= $3"
        }
        EvidenceKind::TrainingCompleted => {
            "select 'training_campaign' as record_type, t.id, t.title as label, e.completed_on as day, \
             u.name as person, 1 as own \
             from training_enrolment e join training_campaign t on t.id = e.campaign_id \
             left join app_user u on u.id = e.user_id \
             where e.org_id = $1 and e.user_id in (select user_id from tm) and e.completed_on >= $2 and e.completed_on <= $3"
        }
        EvidenceKind::PhishingApproved => {
            "select 'phishing_simulation' as record_type, s.id, s.name as label, s.approved_on as day, \
             u.name as person, case when s.recorded_by = s.approved_by then 1 else 0 end as own \
             from phishing_simulation s left join app_user u on u.id = s.approved_by \
             where s.org_id = $1 and s.approved_on >= $2 and s.approved_on <= $3"
        }
    };
    format!(
        "with tm as (select user_id from membership where org_id = $1 and role = 'top_management') \
         select record_type, cast(id as bigint) as id, label, cast(day as bigint) as day, person, \
         own <> 0 as own from ({body}) x order by day desc, id desc limit $4"
    )
}

/// Up to `limit` records of `kind` in `org` dated from `from` to `to`, newest first.
pub async fn records(
    c: &mut Conn<'_>,
    org: OrgId,
    kind: EvidenceKind,
    from: UnixTime,
    to: UnixTime,
    limit: i64,
) -> Result<Vec<EvidenceRecord>, DbError> {
    // The statement is chosen from the closed set above, never built from the caller's text.
    let sql = sql(kind);
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(from).bind(to)
        .bind(limit).fetch_all(&mut **c).await)?)
}
