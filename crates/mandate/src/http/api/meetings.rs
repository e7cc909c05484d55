//! `/api/v1/meetings` and `/api/v1/decisions`: record meetings (attendance and agenda in one body), list and read
//! them, add decisions, and read a decision with what rests on it.

use super::meeting_views::{DecisionView, FollowThroughView, MeetingParts, MeetingView};
use crate::clock::UnixTime;
use crate::db;
use crate::db::meeting::Filter;
use crate::db::meeting_action::Group;
use crate::domain::ids::{AgendaItemId, DecisionId, MeetingId, OrgId, UserId};
use crate::domain::meeting::{FollowThrough, MeetingKind, Presence, Topic};
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::meetings::{self, AgendaInput, MeetingInput, decisions::DecisionInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// An invited member in a new meeting.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendeeBody {
    pub user_id: i64,
    /// present (default), absent or excused.
    pub presence: Option<String>,
}

/// An agenda item in a new meeting.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaBody {
    pub title: String,
    /// One or more of incidents, risks, suppliers, resources, objectives, audits, policies, awareness,
    /// continuity, roles, nonconformities, improvement, compliance, other.
    pub topics: Vec<String>,
    /// Clause numbers such as "5.1", "9.3" or Annex A controls such as "A.5.24".
    #[serde(default)]
    pub clauses: Vec<String>,
}

/// A meeting to record, with its attendance and agenda.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeetingBody {
    /// management_team, isms_committee, board or other.
    pub kind: String,
    pub title: String,
    /// YYYY-MM-DD; not in the future.
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    pub chair_id: i64,
    #[serde(default)]
    pub attendees: Vec<AttendeeBody>,
    #[serde(default)]
    pub agenda: Vec<AgendaBody>,
    /// Markdown.
    #[serde(default)]
    pub minutes: String,
}

impl NewMeetingBody {
    pub fn into_input(self) -> Result<MeetingInput, AppError> {
        let mut attendees = Vec::with_capacity(self.attendees.len());
        for a in self.attendees {
            let presence = a.presence.as_deref().map_or(Ok(Presence::Present), Presence::parse)?;
            attendees.push((UserId(a.user_id), presence));
        }
        Ok(MeetingInput {
            kind: MeetingKind::parse(&self.kind)?,
            title: self.title,
            held_on: parse_date(&self.held_on, "the meeting date")?,
            place: self.place,
            chair: UserId(self.chair_id),
            attendees,
            agenda: self
                .agenda
                .into_iter()
                .map(|i| AgendaInput { title: i.title, topics: i.topics, clauses: i.clauses })
                .collect(),
            minutes: self.minutes,
        })
    }
}

/// Meeting `id` of `org` with everything recorded in it, as of `now`.
pub async fn read_meeting(state: &AppState, org: OrgId, id: MeetingId, now: UnixTime) -> Result<MeetingView, AppError> {
    let mut c = state.db.read().await?;
    let meeting = db::meeting::get(&mut c.conn(), org, id).await?.ok_or_else(|| AppError::not_found("meeting"))?;
    let attendees = db::meeting::attendees(&mut c.conn(), org, id).await?;
    let agenda = db::meeting::agenda(&mut c.conn(), org, id).await?;
    let rows = db::decision::for_meeting(&mut c.conn(), org, id).await?;
    let keys: Vec<i64> = rows.iter().map(|d| d.id.0).collect();
    let counts = db::meeting_action::follow_through(&mut c.conn(), org, Group::Decision, Some(&keys), now).await?;
    let decisions = rows
        .into_iter()
        .map(|d| {
            let f = counts.iter().find(|g| g.key == d.id.0).map_or_else(FollowThrough::default, |g| g.counts);
            DecisionView::of(d, f, Vec::new())
        })
        .collect();
    let filter = db::meeting_action::Filter { meeting: Some(id), ..Default::default() };
    let (actions, _) = db::meeting_action::list(&mut c.conn(), org, &filter, 500, 0).await?;
    // Over all the meeting's actions, not only the 500 listed.
    let whole = db::meeting_action::follow_through(&mut c.conn(), org, Group::Meeting, Some(&[id.0]), now).await?;
    let follow_through = whole.first().map_or_else(FollowThrough::default, |g| g.counts);
    let actions = actions.into_iter().map(|a| super::meeting_views::ActionView::of(a, now)).collect();
    Ok(MeetingView::of(MeetingParts { meeting, attendees, agenda, decisions, actions, follow_through }))
}

/// The register's filters and paging.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeetingQuery {
    /// management_team, isms_committee, board or other.
    pub kind: Option<String>,
    /// Only meetings with an agenda item on this topic.
    pub topic: Option<String>,
    /// Only meetings held in this year.
    pub year: Option<i32>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A checked filter: the kind and topic names, and the year as a span of days.
pub struct CheckedFilter {
    pub kind: Option<MeetingKind>,
    pub topic: Option<Topic>,
    pub span: Option<(UnixTime, UnixTime)>,
}

impl CheckedFilter {
    pub fn as_filter(&self) -> Filter<'static> {
        Filter {
            kind: self.kind.map(MeetingKind::as_str),
            topic: self.topic.map(Topic::as_str),
            from: self.span.map(|s| s.0),
            until: self.span.map(|s| s.1),
        }
    }
}

/// Checks the kind, topic and year of the register's filter.
pub fn check_filter(kind: Option<&str>, topic: Option<&str>, year: Option<i32>) -> Result<CheckedFilter, AppError> {
    let kind = kind.filter(|k| !k.is_empty()).map(MeetingKind::parse).transpose()?;
    let topic = topic.filter(|t| !t.is_empty()).map(Topic::parse).transpose()?;
    let span = match year {
        None => None,
        Some(y) if (1970..=9999).contains(&y) => {
            let start = |y: i32| parse_date(&format!("{y:04}-01-01"), "the year");
            Some((start(y)?, if y == 9999 { i64::MAX / 2 } else { start(y + 1)? }))
        }
        Some(y) => return Err(AppError::Invalid(format!("{y} is not a year Mandate can filter by"))),
    };
    Ok(CheckedFilter { kind, topic, span })
}

/// A meeting as a line of the register.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingLineView {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: String,
    pub chair_name: String,
    pub decisions: i64,
    pub actions: i64,
    pub follow_through: FollowThroughView,
}

/// A page of meetings and how many match in all.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingList {
    pub items: Vec<MeetingLineView>,
    pub total: i64,
}

/// One page of the register with each meeting's follow-through.
pub async fn page(
    state: &AppState,
    org: OrgId,
    filter: &CheckedFilter,
    limit: i64,
    offset: i64,
) -> Result<MeetingList, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let (rows, total) = db::meeting::list(&mut c.conn(), org, &filter.as_filter(), limit, offset).await?;
    let keys: Vec<i64> = rows.iter().map(|m| m.id.0).collect();
    let counts = db::meeting_action::follow_through(&mut c.conn(), org, Group::Meeting, Some(&keys), now).await?;
    let items = rows
        .into_iter()
        .map(|m| {
            let f = counts.iter().find(|g| g.key == m.id.0).map_or_else(FollowThrough::default, |g| g.counts);
            MeetingLineView {
                id: m.id.0,
                kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Other),
                title: m.title,
                held_on: date_text(m.held_on),
                chair_name: m.chair_name,
                decisions: m.decisions,
                actions: m.actions,
                follow_through: f.into(),
            }
        })
        .collect();
    Ok(MeetingList { items, total })
}

/// `GET /api/v1/meetings`: the register, newest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(MeetingQuery),
    responses((status = 200, body = MeetingList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<MeetingQuery>,
) -> Result<Json<MeetingList>, AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let filter = check_filter(query.kind.as_deref(), query.topic.as_deref(), query.year)?;
    Ok(Json(page(&state, principal.org_id, &filter, limit, offset).await?))
}

/// `POST /api/v1/meetings`: records a held meeting with its attendance, agenda and minutes.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", request_body = NewMeetingBody,
    responses((status = 201, body = MeetingView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewMeetingBody>,
) -> Result<(StatusCode, Json<MeetingView>), AppError> {
    let input = body.into_input()?;
    let ctx = state.ctx(&principal, &request);
    let id = meetings::create(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(read_meeting(&state, principal.org_id, id, ctx.now).await?)))
}

/// `GET /api/v1/meetings/{id}`: a meeting with its attendance, agenda, minutes, decisions and actions.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path, description = "meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingView>, AppError> {
    Ok(Json(read_meeting(&state, principal.org_id, MeetingId(id), state.clock.now()).await?))
}

/// A decision to record.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecisionBody {
    pub text: String,
    /// Who decided; the caller when left out.
    pub decided_by: Option<i64>,
    /// One of the ISMS topics (see the agenda's topics).
    pub topic: String,
    /// The agenda item it was taken on, if any.
    pub agenda_item_id: Option<i64>,
}

/// `POST /api/v1/meetings/{id}/decisions`: records a decision taken in the meeting.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/decisions", tag = "meetings", request_body = NewDecisionBody,
    params(("id" = i64, Path, description = "meeting id")),
    responses((status = 201, body = DecisionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn add_decision(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewDecisionBody>,
) -> Result<(StatusCode, Json<DecisionView>), AppError> {
    let input = DecisionInput {
        agenda_item: body.agenda_item_id.map(AgendaItemId),
        text: body.text,
        decided_by: body.decided_by.map_or(principal.user_id, UserId),
        topic: Topic::parse(&body.topic)?,
    };
    let ctx = state.ctx(&principal, &request);
    let decision = meetings::decisions::add(&ctx, principal.org_id, MeetingId(id), principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(read_decision(&state, principal.org_id, decision).await?)))
}

/// Decision `id` of `org` with its follow-through and what rests on it.
pub async fn read_decision(state: &AppState, org: OrgId, id: DecisionId) -> Result<DecisionView, AppError> {
    let mut c = state.db.read().await?;
    let row = db::decision::get(&mut c.conn(), org, id).await?.ok_or_else(|| AppError::not_found("decision"))?;
    let now = state.clock.now();
    let counts = db::meeting_action::follow_through(&mut c.conn(), org, Group::Decision, Some(&[id.0]), now).await?;
    let links = db::decision::linked(&mut c.conn(), org, id).await?;
    Ok(DecisionView::of(row, counts.first().map_or_else(FollowThrough::default, |g| g.counts), links))
}

/// `GET /api/v1/decisions/{id}`: a decision, its follow-through, and the approvals and appointments resting on it.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "meetings", params(("id" = i64, Path, description = "decision id")),
    responses((status = 200, body = DecisionView), (status = 404, body = ErrorBody)))]
pub async fn show_decision(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DecisionView>, AppError> {
    Ok(Json(read_decision(&state, principal.org_id, DecisionId(id)).await?))
}
