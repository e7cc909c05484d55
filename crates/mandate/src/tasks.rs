//! What a person owes: the tasks on their home page and in `GET /api/v1/me/tasks`. Each capability adds its kind
//! of task here: policy acknowledgements, open meeting actions and training to complete so far.

use crate::clock::UnixTime;
use crate::db::{self, Conn};
use crate::domain::ids::{OrgId, UserId};
use crate::domain::meeting::{ActionStatus, is_overdue};
use crate::error::AppError;

/// What kind of thing is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Read and acknowledge a published policy version.
    AcknowledgePolicy,
    /// Carry out (and close) an action from a meeting.
    MeetingAction,
    /// Complete an awareness training campaign one is enrolled in.
    CompleteTraining,
}

/// One task: what, where to do it, by when.
#[derive(Debug, Clone)]
pub struct Task {
    pub kind: TaskKind,
    pub title: String,
    pub url: String,
    pub due_at: UnixTime,
    pub overdue: bool,
    /// The record the task is about: the policy (with its version number), the action or the training.
    pub record_id: i64,
    pub version: Option<i64>,
}

/// The open tasks of `user` in `org` at `now`, soonest due first.
pub async fn open_tasks(c: &mut Conn<'_>, org: OrgId, user: UserId, now: UnixTime) -> Result<Vec<Task>, AppError> {
    let mut tasks: Vec<Task> = db::acknowledgement::open_tasks(c, org, user)
        .await?
        .into_iter()
        .map(|t| Task {
            kind: TaskKind::AcknowledgePolicy,
            title: format!("Read and acknowledge “{}” (version {})", t.title, t.number),
            url: format!("/policies/{}/versions/{}", t.policy_id, t.number),
            due_at: t.due_at,
            overdue: t.due_at < now,
            record_id: t.policy_id.0,
            version: Some(t.number),
        })
        .collect();
    for a in db::meeting_action::open_for(c, org, user).await? {
        tasks.push(Task {
            kind: TaskKind::MeetingAction,
            title: match &a.meeting_title {
                Some(meeting) => format!("{} (from “{meeting}”)", a.title),
                None => format!("{} ({})", a.title, a.origin()),
            },
            url: format!("/actions/{}", a.id),
            due_at: a.due_on,
            overdue: is_overdue(ActionStatus::Open, a.due_on, now),
            record_id: a.id.0,
            version: None,
        });
    }
    for t in db::training::open_tasks(c, org, user).await? {
        tasks.push(Task {
            kind: TaskKind::CompleteTraining,
            title: format!("Complete the training “{}”", t.title),
            url: "/training".into(),
            due_at: t.due_on,
            overdue: crate::domain::training::is_overdue(None, t.due_on, now),
            record_id: t.campaign_id.0,
            version: None,
        });
    }
    tasks.sort_by_key(|t| t.due_at);
    Ok(tasks)
}
