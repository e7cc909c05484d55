//! A meeting's page: attendance, agenda, minutes (Markdown, sanitised), the decisions with their follow-through,
//! the actions, evidence, and the two small forms that add a decision and an action.

use super::Layout;
use super::record_evidence::EvidenceBox;
use crate::db;
use crate::domain::ids::{AgendaItemId, DecisionId, MeetingId, UserId};
use crate::domain::meeting::Topic;
use crate::domain::objective::{date_text, parse_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::MEETING_WRITERS;
use crate::http::api::meeting_views::MeetingView;
use crate::http::api::meetings::read_meeting;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::meetings::actions::ActionInput;
use crate::meetings::decisions::DecisionInput;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "meeting_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    m: MeetingView,
    minutes_html: String,
    can_write: bool,
    members: Vec<(i64, String)>,
    topics: Vec<&'static str>,
    default_due: String,
    evidence: EvidenceBox,
    notice: Option<&'static str>,
    error: Option<String>,
}

/// The page's query: which change just succeeded.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: String,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    id: i64,
    done: &str,
    error: Option<String>,
) -> Result<ShowPage, AppError> {
    let now = state.clock.now();
    let m = read_meeting(state, principal.org_id, MeetingId(id), now).await?;
    let can_write = MEETING_WRITERS.contains(&principal.role);
    // Who may decide or own an action: managers, not auditors (`meetings::check_member`); only writers see the forms.
    let members = if can_write {
        let mut c = state.db.read().await?;
        let managers = db::membership::managers(&mut c.conn(), principal.org_id, now).await?;
        managers.into_iter().filter(|m| m.role != Role::Auditor.as_str()).map(|m| (m.user_id.0, m.name)).collect()
    } else {
        Vec::new()
    };
    let evidence = EvidenceBox::load(state, principal, "meeting", id).await?;
    Ok(ShowPage {
        layout: Layout::member(&m.title, "meetings", principal),
        csrf: principal.csrf().to_string(),
        minutes_html: crate::domain::markdown::render(&m.minutes),
        can_write,
        members,
        topics: Topic::ALL.iter().map(|t| t.as_str()).collect(),
        default_due: date_text(now + 30 * 86_400),
        evidence,
        notice: match done {
            "recorded" => Some("The meeting is recorded. Add its decisions and actions below."),
            "decision" => Some("The decision is recorded."),
            "action" => Some("The action is recorded and appears in its owner's tasks."),
            _ => None,
        },
        error,
        m,
    })
}

/// `GET /meetings/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    Ok(render(&state, &principal, id, &query.done, None).await?)
}

/// After a form: back to the page with a notice, or the page again with the error and its status.
async fn answer(
    state: &AppState,
    principal: &Principal,
    id: i64,
    result: Result<&str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/meetings/{id}?done={done}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            Ok((status, render(state, principal, id, "", Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// An optional number field of a form.
fn optional_id(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::Invalid(format!("'{t}' is not {what}"))),
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    decided_by: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    agenda_item: String,
}

/// `POST /meetings/{id}/decisions`
#[tracing::instrument(skip_all)]
pub async fn add_decision(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = DecisionInput {
            agenda_item: optional_id(&form.agenda_item, "an agenda item")?.map(AgendaItemId),
            text: form.text,
            decided_by: optional_id(&form.decided_by, "a member")?.map_or(principal.user_id, UserId),
            topic: Topic::parse(&form.topic)?,
        };
        let ctx = state.ctx(&principal, &request);
        crate::meetings::decisions::add(&ctx, principal.org_id, MeetingId(id), principal.user_id, &input).await
    }
    .await;
    answer(&state, &principal, id, result.map(|_| "decision")).await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    owner_email: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    decision: String,
}

/// `POST /meetings/{id}/actions`: the owner is chosen from the list, or given by e-mail for anyone else.
#[tracing::instrument(skip_all)]
pub async fn add_action(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let result = async {
        let owner = match form.owner_email.trim() {
            "" => UserId(
                optional_id(&form.owner, "a member")?
                    .ok_or_else(|| AppError::Invalid("choose who owns the action, or give their e-mail".into()))?,
            ),
            email => match crate::accounts::member_by_email(&state.db, principal.org_id, email).await {
                Ok(member) => member.user_id,
                Err(AppError::NotFound(_)) => {
                    return Err(AppError::Invalid(format!("{email} is not a member of this organisation")));
                }
                Err(other) => return Err(other),
            },
        };
        let input = ActionInput {
            decision: optional_id(&form.decision, "a decision")?.map(DecisionId),
            title: form.title,
            owner,
            due_on: parse_date(&form.due_on, "the due date")?,
        };
        let ctx = state.ctx(&principal, &request);
        crate::meetings::actions::add(&ctx, principal.org_id, MeetingId(id), principal.user_id, &input).await
    }
    .await;
    answer(&state, &principal, id, result.map(|_| "action")).await
}
