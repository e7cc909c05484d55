//! One policy version: its text, approval facts, steps, acknowledgements and the forms that act on them.

use super::Layout;
use super::decision_choice::{DecisionOption, offered};
use super::policies::day;
pub use super::policy_step::step;
use crate::db;
use crate::domain::campaign::Audience;
use crate::domain::ids::{PolicyId, UserId};
use crate::domain::markdown;
use crate::domain::policy::{Step, VersionStatus};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{POLICY_EDITORS, POLICY_OVERSEERS};
use crate::http::api::cited_decision::CitedDecision;
use crate::http::api::policies::{load, who};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::policies::{self, VersionInput, campaign};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;

pub struct PendingLine {
    name: String,
    department: String,
    due: String,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy_version.html")]
pub struct VersionPage {
    layout: Layout,
    csrf: String,
    policy_id: PolicyId,
    title: String,
    number: i64,
    status: VersionStatus,
    html: String,
    document: Option<crate::domain::ids::EvidenceId>,
    body: String,
    change_note: String,
    content_sha256: String,
    written: String,
    approval: Option<(String, String, String, String)>,
    /// The meeting decision the approval rests on.
    cited: Option<CitedDecision>,
    /// Whether the viewer may open the decision's page (employees do not read meetings).
    sees_meetings: bool,
    /// Recent meeting decisions the approval form offers (only when it is shown).
    decisions: Vec<DecisionOption>,
    published: String,
    steps: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    oversees: bool,
    requested: i64,
    acknowledged: i64,
    acknowledged_total: i64,
    overdue: i64,
    percent: i64,
    my_ack: Option<String>,
    i_owe: bool,
    pending: Vec<PendingLine>,
    pending_total: i64,
    roles: Vec<(&'static str, &'static str)>,
    departments: Vec<String>,
    notice: Option<&'static str>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct VersionQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The steps `role` could offer on a version in `status` (the rules still decide when it is taken).
fn offered_steps(status: VersionStatus, role: Role) -> Vec<(&'static str, &'static str)> {
    let all = [
        (Step::Submit, "Send for review"),
        (Step::Return, "Return to draft"),
        (Step::Approve, "Approve this text"),
        (Step::Publish, "Publish and ask for acknowledgement"),
        (Step::Retire, "Retire"),
    ];
    all.into_iter()
        .filter(|(step, _)| crate::domain::policy::next_status(status, *step, role).is_ok())
        .map(|(step, label)| (step.as_str(), label))
        .collect()
}

/// `GET /policies/{id}/versions/{number}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath((id, number)): PagePath<(i64, i64)>,
    PageQuery(query): PageQuery<VersionQuery>,
) -> Result<VersionPage, PageError> {
    let now = state.clock.now();
    let (row, versions) = load(&state, &principal, id).await?;
    let v = versions.into_iter().find(|v| v.number == number).ok_or_else(|| AppError::not_found("policy version"))?;
    let status = VersionStatus::parse(&v.status).unwrap_or(VersionStatus::Draft);
    let oversees = POLICY_OVERSEERS.contains(&principal.role);
    let mut c = state.db.read().await?;
    // Employees, most of this page's readers, see neither the tally nor the audience form: skip those queries.
    let tally = if oversees {
        db::acknowledgement::tally(&mut c.conn(), principal.org_id, v.id, now).await?
    } else {
        db::acknowledgement::Tally::default()
    };
    let mine = db::acknowledgement::of_user(&mut c.conn(), principal.org_id, v.id, principal.user_id).await?;
    let (pending, pending_total) = if oversees {
        db::acknowledgement::for_version(&mut c.conn(), principal.org_id, v.id, true, 100, 0).await?
    } else {
        (vec![], 0)
    };
    let can_edit = POLICY_EDITORS.contains(&principal.role);
    let departments = if can_edit && status == VersionStatus::Published {
        db::membership::departments(&mut c.conn(), principal.org_id).await?
    } else {
        Vec::new()
    };
    let steps = if can_edit { offered_steps(status, principal.role) } else { vec![] };
    let approvable = steps.iter().any(|(step, _)| *step == Step::Approve.as_str());
    let decisions = if approvable { offered(&mut c.conn(), principal.org_id).await? } else { Vec::new() };
    let html =
        if v.document_id.is_some() && v.body.trim().is_empty() { String::new() } else { markdown::render(&v.body) };
    Ok(VersionPage {
        layout: Layout::member(&format!("{} · version {number}", row.title), "policies", &principal),
        csrf: principal.csrf().to_string(),
        policy_id: row.id,
        title: row.title,
        number,
        status,
        html,
        document: v.document_id,
        body: v.body.clone(),
        change_note: v.change_note.clone(),
        content_sha256: v.content_sha256.clone(),
        written: format!("{} by {}", day(v.created_at), v.creator_name),
        approval: match (&v.approver_name, v.approved_at, &v.approved_sha256) {
            (Some(by), Some(at), Some(sha)) => Some((
                by.clone(),
                crate::clock::format_utc(at),
                sha.clone(),
                v.approval_decision.clone().unwrap_or_default(),
            )),
            _ => None,
        },
        published: v.published_at.map(day).unwrap_or_default(),
        cited: CitedDecision::of(v.decision_id, &v.cite),
        sees_meetings: crate::http::access::MEETING_READERS.contains(&principal.role),
        decisions,
        steps,
        can_edit,
        oversees,
        requested: tally.requested,
        acknowledged: tally.acknowledged_of_requested,
        acknowledged_total: tally.acknowledged,
        overdue: tally.overdue,
        percent: if tally.requested > 0 { tally.acknowledged_of_requested * 100 / tally.requested } else { 0 },
        my_ack: mine.as_ref().and_then(|m| m.acknowledged_at).map(crate::clock::format_utc),
        i_owe: status == VersionStatus::Published && mine.as_ref().is_none_or(|m| m.acknowledged_at.is_none()),
        pending: pending
            .into_iter()
            .map(|p| PendingLine {
                name: p.name,
                department: p.department.unwrap_or_default(),
                due: p.due_at.map(day).unwrap_or_default(),
                overdue: p.due_at.is_some_and(|d| d < now),
            })
            .collect(),
        pending_total,
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        departments,
        notice: query.done.as_deref().and_then(|done| match done {
            "acknowledged" => Some("Thank you: your acknowledgement of this version is recorded."),
            "created" => Some("The draft is created and recorded in the ledger."),
            "saved" => Some("The draft is saved and recorded in the ledger."),
            "submit" => Some("The version is sent for review."),
            "return" => Some("The version is back in draft."),
            "approve" => Some("Approved: the approval pins the SHA-256 of the text shown."),
            "publish" => Some("Published: everyone asked will find it in My tasks."),
            "retire" => Some("The version is retired."),
            "campaign" => Some("The people chosen are asked to acknowledge this version."),
            _ => None,
        }),
    })
}

#[derive(serde::Deserialize)]
pub struct EditForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    change_note: String,
    /// The id of an uploaded evidence document holding the text, if the text is not written here.
    #[serde(default)]
    document_id: String,
}

/// Reads the optional document id of a version form.
pub fn document_field(text: &str) -> Result<Option<crate::domain::ids::EvidenceId>, AppError> {
    match text.trim() {
        "" => Ok(None),
        given => given.parse::<i64>().map(|id| Some(crate::domain::ids::EvidenceId(id))).map_err(|_| {
            AppError::Invalid(format!("'{given}' is not an evidence id; use the number shown on the evidence page"))
        }),
    }
}

/// `POST /policies/{id}/versions/{number}`: edit a draft.
#[tracing::instrument(skip_all)]
pub async fn edit(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath((id, number)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Redirect, PageError> {
    let input =
        VersionInput { body: form.body, document: document_field(&form.document_id)?, change_note: form.change_note };
    policies::edit_draft(&state.ctx(&principal, &request), principal.org_id, PolicyId(id), number, &input).await?;
    Ok(Redirect::to(&format!("/policies/{id}/versions/{number}?done=saved")))
}

/// `GET /policies/{id}/versions/{number}/document`: the version's attached document, for everyone who may read
/// the version (employees included, who cannot browse the evidence vault).
#[tracing::instrument(skip_all)]
pub async fn document(
    State(state): State<AppState>,
    principal: Principal,
    PagePath((id, number)): PagePath<(i64, i64)>,
) -> Result<axum::response::Response, PageError> {
    let (_, versions) = load(&state, &principal, id).await?;
    let version =
        versions.into_iter().find(|v| v.number == number).ok_or_else(|| AppError::not_found("policy version"))?;
    let document =
        version.document_id.ok_or_else(|| AppError::NotFound("this version has no attached document".into()))?;
    Ok(crate::http::api::evidence::download(&state, &principal, document.0).await?)
}

/// `POST /policies/{id}/versions/{number}/acknowledge`: the signed-in person acknowledges this version.
#[tracing::instrument(skip_all)]
pub async fn acknowledge(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath((id, number)): PagePath<(i64, i64)>,
) -> Result<Redirect, PageError> {
    load(&state, &principal, id).await?;
    let ctx = state.ctx(&principal, &request);
    campaign::acknowledge(&ctx, principal.org_id, PolicyId(id), number, principal.user_id).await?;
    Ok(Redirect::to(&format!("/policies/{id}/versions/{number}?done=acknowledged")))
}

#[derive(serde::Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    everyone: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    days: Option<i64>,
}

/// `POST /policies/{id}/versions/{number}/campaigns`: ask more people (a role or a department) to acknowledge.
#[tracing::instrument(skip_all)]
pub async fn start_campaign(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath((id, number)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<CampaignForm>,
) -> Result<Redirect, PageError> {
    let role = match form.role.as_deref().filter(|r| !r.is_empty()) {
        Some(role) => vec![role.parse::<Role>()?],
        None => vec![],
    };
    let audience = Audience {
        everyone: form.everyone.is_some(),
        roles: role,
        departments: form.department.into_iter().filter(|d| !d.is_empty()).collect(),
        people: Vec::<UserId>::new(),
    };
    let ctx = state.ctx(&principal, &request);
    campaign::start(&ctx, principal.org_id, PolicyId(id), number, who(&principal), &audience, form.days).await?;
    Ok(Redirect::to(&format!("/policies/{id}/versions/{number}?done=campaign")))
}
