//! Management review pages: the register with the schedule and planning forms, and a review's page with its
//! inputs (figures beside the previous review's, notes forms), attendance, outputs, and the complete and close
//! buttons. Auditors read; the forms are only for those who may write.

use super::Layout;
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::leadership::review::{OutputKind, ReviewStatus};
use crate::domain::meeting::Presence;
use crate::domain::objective::{date_text, parse_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::REVIEW_WRITERS;
use crate::http::api::review_views::{ReviewRegister, ReviewView, read_register, read_review};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::leadership::review::{self as reviews, PlanInput, record, schedule::ScheduleInput};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// Which change just succeeded.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "schedule" => "The review schedule is saved.",
        "planned" => "The review is planned.",
        "open" => "The review is open and its inputs are compiled from live data.",
        "recompile" => "The inputs are compiled again from live data; notes are kept.",
        "notes" => "The notes are saved.",
        "attendance" => "The attendance is saved.",
        "outputs" => "The decision is recorded; its actions appear in their owners' tasks.",
        "complete" => "The review is complete. Close it to lock it and sign the ledger.",
        "close" => "The review is closed and locked; a ledger checkpoint was signed with it.",
        _ => return None,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews_list.html")]
pub struct ListPage {
    layout: Layout,
    csrf: String,
    r: ReviewRegister,
    can_write: bool,
    managers: Vec<(i64, String, bool)>,
    default_date: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn members(state: &AppState, principal: &Principal) -> Result<Vec<(i64, String, bool)>, AppError> {
    let mut c = state.db.read().await?;
    let all = db::membership::managers(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    Ok(all.into_iter().map(|m| (m.user_id.0, m.name.clone(), m.role() == Role::TopManagement)).collect())
}

async fn render_list(
    state: &AppState,
    principal: &Principal,
    done: &str,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let now = state.clock.now();
    let can_write = REVIEW_WRITERS.contains(&principal.role);
    Ok(ListPage {
        layout: Layout::member("Management reviews", "reviews", principal),
        csrf: principal.csrf().to_string(),
        r: read_register(state, principal.org_id, now).await?,
        managers: if can_write { members(state, principal).await? } else { Vec::new() },
        can_write,
        default_date: date_text(now),
        notice: notice(done),
        error,
    })
}

/// `GET /reviews`
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Result<ListPage, PageError> {
    Ok(render_list(&state, &principal, &q.done, None).await?)
}

fn ids(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::Invalid(format!("'{t}' is not {what}"))),
    }
}

/// `POST /reviews/schedule`: the attendees come as repeated `attendee` fields.
pub async fn set_schedule(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let result = async {
        let input = ScheduleInput {
            every_months: ids(field("every_months"), "a number of months")?.unwrap_or(0),
            chair: UserId(
                ids(field("chair"), "a member")?.ok_or_else(|| AppError::Invalid("choose the chair".into()))?,
            ),
            attendees: form
                .iter()
                .filter(|(k, _)| k == "attendee")
                .filter_map(|(_, v)| v.parse().ok())
                .map(UserId)
                .collect(),
        };
        reviews::schedule::set(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/reviews?done=schedule").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            Ok((e.status(), render_list(&state, &principal, "", Some(e.to_string())).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    chair: String,
}

/// `POST /reviews`
pub async fn plan(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = PlanInput {
            title: form.title,
            planned_on: parse_date(&form.planned_on, "the planned date")?,
            chair: ids(&form.chair, "a member")?.map(UserId),
        };
        reviews::plan(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input).await
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/reviews/{id}?done=planned")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            Ok((e.status(), render_list(&state, &principal, "", Some(e.to_string())).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "review_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    v: ReviewView,
    notes_html: Vec<String>,
    can_write: bool,
    writable: bool,
    managers: Vec<(i64, String, bool)>,
    kinds: Vec<(&'static str, &'static str)>,
    default_due: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    id: i64,
    done: &str,
    error: Option<String>,
) -> Result<ShowPage, AppError> {
    let v = read_review(state, principal.org_id, id).await?;
    let can_write = REVIEW_WRITERS.contains(&principal.role);
    Ok(ShowPage {
        layout: Layout::member(&v.title, "reviews", principal),
        csrf: principal.csrf().to_string(),
        notes_html: v.inputs.iter().map(|i| crate::domain::markdown::render(&i.notes)).collect(),
        writable: can_write && matches!(v.status, ReviewStatus::Open | ReviewStatus::Complete),
        managers: if can_write { members(state, principal).await? } else { Vec::new() },
        can_write,
        kinds: OutputKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        default_due: date_text(state.clock.now() + 90 * 86_400),
        notice: notice(done),
        error,
        v,
    })
}

/// `GET /reviews/{id}`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Result<ShowPage, PageError> {
    Ok(render(&state, &principal, id, &q.done, None).await?)
}

async fn answer(
    state: &AppState,
    principal: &Principal,
    id: i64,
    result: Result<&str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/reviews/{id}?done={done}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            Ok((e.status(), render(state, principal, id, "", Some(e.to_string())).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The form of the buttons: only the CSRF token.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Empty {}

macro_rules! button {
    ($name:ident, $done:literal, |$ctx:ident, $p:ident, $id:ident| $op:expr) => {
        #[doc = concat!("`POST /reviews/{id}/", $done, "`")]
        pub async fn $name(
            State(state): State<AppState>,
            $p: Principal,
            request: RequestId,
            PagePath($id): PagePath<i64>,
            PageForm(_): PageForm<Empty>,
        ) -> Result<Response, PageError> {
            let $ctx = state.ctx(&$p, &request);
            let result = $op.await.map(|_| $done);
            answer(&state, &$p, $id, result).await
        }
    };
}

button!(open, "open", |ctx, p, id| reviews::open(&ctx, p.org_id, id, p.user_id));
button!(recompile, "recompile", |ctx, p, id| reviews::recompile(&ctx, p.org_id, id));
button!(complete, "complete", |ctx, p, id| reviews::complete(&ctx, p.org_id, id));
button!(close, "close", |ctx, p, id| reviews::close(&ctx, p.org_id, id));

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    notes: String,
}

/// `POST /reviews/{id}/notes`
pub async fn notes(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<NotesForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = record::set_notes(&ctx, principal.org_id, id, &form.key, &form.notes, principal.user_id).await;
    answer(&state, &principal, id, result.map(|_| "notes")).await
}

/// `POST /reviews/{id}/attendance`: one `presence_{user}` field per person; empty ones are left out.
pub async fn attendance(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = async {
        let mut list = Vec::new();
        for (name, value) in &form {
            let Some(user) = name.strip_prefix("presence_") else { continue };
            if value.is_empty() {
                continue;
            }
            let user = ids(user, "a member")?.ok_or_else(|| AppError::Invalid("a person is missing".into()))?;
            list.push((UserId(user), Presence::parse(value)?));
        }
        list.sort_by_key(|(u, _)| *u);
        record::set_attendance(&state.ctx(&principal, &request), principal.org_id, id, &list).await
    }
    .await;
    answer(&state, &principal, id, result.map(|_| "attendance")).await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OutputForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    decided_by: String,
    #[serde(default)]
    action_title: String,
    #[serde(default)]
    action_owner: String,
    #[serde(default)]
    action_due: String,
}

/// `POST /reviews/{id}/outputs`: a decision and, optionally, one action; more actions go on the decision's page.
pub async fn outputs(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<OutputForm>,
) -> Result<Response, PageError> {
    let result = async {
        let mut actions = Vec::new();
        if !form.action_title.trim().is_empty() {
            let owner = ids(&form.action_owner, "a member")?
                .ok_or_else(|| AppError::Invalid("choose who owns the action".into()))?;
            let due_on = parse_date(&form.action_due, "the due date")?;
            actions.push(record::OutputAction { title: form.action_title, owner: UserId(owner), due_on });
        }
        let input = record::OutputInput {
            kind: OutputKind::parse(&form.kind)?,
            text: form.text,
            decided_by: ids(&form.decided_by, "a member")?.map_or(principal.user_id, UserId),
            actions,
        };
        record::add_output(&state.ctx(&principal, &request), principal.org_id, id, principal.user_id, &input).await
    }
    .await;
    answer(&state, &principal, id, result.map(|_| "outputs")).await
}
