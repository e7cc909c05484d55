//! What the benchmark asks of the server, and the reference for each: the same database function or operation
//! called directly, in this process, with the same arguments.

use crate::drive::Work;
use crate::server::Store;
use futures_util::FutureExt;
use mandate::blob::BlobStore;
use mandate::clock::{Clock, SystemClock};
use mandate::context::Ctx;
use mandate::db::{self, Db};
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::objective::{Direction, Frequency, Kind};
use mandate::evidence::Upload;
use mandate::journal::{Actor, Journal};
use mandate::objectives::ObjectiveInput;
use std::sync::Arc;

/// API tokens of the people the scenarios act as.
pub struct Tokens {
    pub ceo: String,
    pub admin: String,
}

/// The reference work of a scenario.
#[derive(Debug, Clone, Copy)]
pub enum Reference {
    /// Taking a pooled connection: what every request does before its first query.
    Connection,
    HomeTasks,
    PolicyList,
    ObjectiveList,
    MeetingList,
    ActionList,
    /// The leadership page's work without its cache: every detector, then the index.
    Leadership,
    /// Compiling a management review's inputs over the last six months.
    ReviewCompile,
    MemberList {
        offset: i64,
    },
    CreateObjective,
    UploadEvidence,
}

/// What one HTTP request of a scenario is.
#[derive(Debug, Clone)]
pub enum Request {
    Get { path: String, token: String },
    CreateObjective { token: String },
    UploadEvidence { token: String },
}

pub struct Scenario {
    pub name: String,
    pub request: Request,
    pub reference: Reference,
}

/// The scenarios, in the order they run. The leadership page is measured against computing it without the cache
/// (what the first request after a change pays). The user list is read from the middle of the organisation's
/// `members`.
pub fn list(tokens: &Tokens, members: i64) -> Vec<Scenario> {
    let ceo = || tokens.ceo.clone();
    let get = |path: &str, token: String| Request::Get { path: path.to_string(), token };
    let middle = members / 2 / 50 * 50;
    vec![
        Scenario { name: "GET /healthz".into(), request: get("/healthz", ceo()), reference: Reference::Connection },
        Scenario {
            name: "GET /leadership (index, findings)".into(),
            request: get("/leadership", ceo()),
            reference: Reference::Leadership,
        },
        Scenario {
            name: "GET /api/v1/leadership".into(),
            request: get("/api/v1/leadership", ceo()),
            reference: Reference::Leadership,
        },
        Scenario {
            name: "GET /api/v1/me/tasks (my tasks)".into(),
            request: get("/api/v1/me/tasks", ceo()),
            reference: Reference::HomeTasks,
        },
        Scenario {
            name: "GET /policies (register)".into(),
            request: get("/policies", ceo()),
            reference: Reference::PolicyList,
        },
        Scenario {
            name: "GET /objectives (register)".into(),
            request: get("/objectives", ceo()),
            reference: Reference::ObjectiveList,
        },
        Scenario {
            name: "GET /meetings (register)".into(),
            request: get("/meetings", ceo()),
            reference: Reference::MeetingList,
        },
        Scenario {
            name: "GET /actions (register)".into(),
            request: get("/actions", ceo()),
            reference: Reference::ActionList,
        },
        Scenario {
            name: "GET /api/v1/policies (API list)".into(),
            request: get("/api/v1/policies", ceo()),
            reference: Reference::PolicyList,
        },
        Scenario {
            name: format!("GET /api/v1/users?offset={middle} (API list)"),
            request: get(&format!("/api/v1/users?limit=50&offset={middle}"), tokens.admin.clone()),
            reference: Reference::MemberList { offset: middle },
        },
        Scenario {
            name: "POST /api/v1/objectives (API create)".into(),
            request: Request::CreateObjective { token: ceo() },
            reference: Reference::CreateObjective,
        },
        Scenario {
            name: "POST /api/v1/evidence (16 KiB upload)".into(),
            request: Request::UploadEvidence { token: ceo() },
            reference: Reference::UploadEvidence,
        },
    ]
}

fn evidence_bytes(n: usize) -> Vec<u8> {
    format!("Evidence file {n}\n").repeat(1024).into_bytes()[..16 * 1024].to_vec()
}

fn objective_json(n: usize) -> serde_json::Value {
    serde_json::json!({
        "statement": format!("Load objective {n}: phishing click rate below 5 %"),
        "target_value": 5.0, "unit": "%", "direction": "at_most", "due_on": "2027-12-31",
        "resources": "awareness budget", "evaluation_method": "simulation results", "frequency": "quarterly"
    })
}

/// A multipart/form-data body with one `file` part (reqwest's multipart feature is not built for one bench).
fn multipart_file(filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "mandate-load-boundary-7d3f";
    let mut body = format!(
        "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         content-type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

impl Scenario {
    /// The HTTP work of this scenario against `base`.
    pub fn http(&self, client: &reqwest::Client, base: &str) -> Work {
        let (client, base, request) = (client.clone(), base.to_string(), self.request.clone());
        Arc::new(move |n| {
            let (client, base, request) = (client.clone(), base.clone(), request.clone());
            async move {
                let (reply, what) = match &request {
                    Request::Get { path, token } => {
                        (client.get(format!("{base}{path}")).bearer_auth(token), path.as_str())
                    }
                    Request::CreateObjective { token } => {
                        let url = format!("{base}/api/v1/objectives");
                        let body = serde_json::to_vec(&objective_json(n)).expect("json");
                        let post = client.post(url).bearer_auth(token).header("content-type", "application/json");
                        (post.body(body), "create objective")
                    }
                    Request::UploadEvidence { token } => {
                        let (content_type, body) = multipart_file(&format!("load-{n}.txt"), &evidence_bytes(n));
                        let post = client.post(format!("{base}/api/v1/evidence")).bearer_auth(token);
                        (post.header("content-type", content_type).body(body), "upload")
                    }
                };
                let reply = reply.send().await.expect("request");
                let status = reply.status();
                let body = reply.bytes().await.expect("body");
                assert!(status.is_success(), "{what}: {status} {}", String::from_utf8_lossy(&body));
            }
            .boxed()
        })
    }
}

/// The database opened directly, for the references.
pub struct Direct {
    db: Db,
    journal: Arc<Journal>,
    blobs: BlobStore,
    org: OrgId,
    ceo: UserId,
    /// How many active members the organisation has.
    pub members: i64,
}

impl Direct {
    pub async fn open(store: &Store, slug: &str) -> anyhow::Result<Self> {
        let db = Db::open(&store.dir, store.database_url.as_deref()).await?;
        let journal = Arc::new(Journal::new(mandate::signing_key::load_or_create(&store.dir)?, 1000));
        journal.register_key(&db, SystemClock.now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let org = mandate::accounts::org_by_slug(&db, slug).await.map_err(|e| anyhow::anyhow!("{e}"))?.id;
        let ceo = mandate::accounts::member_by_email(&db, org, &format!("ceo@{slug}.example"))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .user_id;
        let blobs = BlobStore::open(&store.dir, None)?;
        let members = db::membership::count_active(&mut db.read().await?.conn(), org, SystemClock.now()).await?;
        Ok(Self { db, journal, blobs, org, ceo, members })
    }

    pub async fn close(self) {
        self.db.close().await;
    }

    /// The reference work, as a closure the driver can time.
    pub fn reference(&self, reference: Reference) -> Work {
        let (db, journal, blobs, org, ceo) =
            (self.db.clone(), self.journal.clone(), self.blobs.clone(), self.org, self.ceo);
        Arc::new(move |n| {
            let (db, journal, blobs) = (db.clone(), journal.clone(), blobs.clone());
            async move { run_reference(reference, n, &db, &journal, &blobs, org, ceo).await }.boxed()
        })
    }
}

async fn run_reference(
    reference: Reference,
    n: usize,
    db: &Db,
    journal: &Journal,
    blobs: &BlobStore,
    org: OrgId,
    ceo: UserId,
) {
    let now = SystemClock.now();
    let ctx = Ctx {
        db,
        journal,
        actor: Actor {
            name: "ceo (reference)".into(),
            role: "top_management".into(),
            request_id: format!("bench-{n}"),
        },
        now,
    };
    match reference {
        Reference::Connection => drop(db.read().await.expect("connection")),
        Reference::HomeTasks => {
            let mut c = db.read().await.expect("connection");
            mandate::tasks::open_tasks(&mut c.conn(), org, ceo, now).await.expect("tasks");
        }
        Reference::PolicyList => {
            let mut c = db.read().await.expect("connection");
            db::policy::list(&mut c.conn(), org, &db::policy::Filter::default(), 50, 0).await.expect("policies");
        }
        Reference::ObjectiveList => {
            let mut c = db.read().await.expect("connection");
            let filter = db::objective::Filter::default();
            db::objective::list(&mut c.conn(), org, &filter, db::objective::Sort::Due, 50, 0).await.expect("list");
        }
        Reference::MeetingList => {
            let mut c = db.read().await.expect("connection");
            db::meeting::list(&mut c.conn(), org, &db::meeting::Filter::default(), 50, 0).await.expect("meetings");
        }
        Reference::ActionList => {
            let mut c = db.read().await.expect("connection");
            let filter = db::meeting_action::Filter::default();
            db::meeting_action::list(&mut c.conn(), org, &filter, 50, 0).await.expect("actions");
        }
        Reference::Leadership => {
            let mut c = db.read().await.expect("connection");
            let findings = mandate::leadership::current_findings(&mut c.conn(), org, now).await.expect("findings");
            mandate::leadership::index_of(&mut c.conn(), org, now, &findings).await.expect("index");
        }
        Reference::ReviewCompile => {
            let mut c = db.read().await.expect("connection");
            let period = db::review_sources::Period { start: now - 182 * 86_400, end: now };
            let scope = mandate::leadership::review::compile::Scope { org, period, previous_meeting: None, now };
            mandate::leadership::review::compile::compile(&mut c.conn(), scope).await.expect("compile");
        }
        Reference::MemberList { offset } => {
            let mut c = db.read().await.expect("connection");
            db::membership::list(&mut c.conn(), org, "", 50, offset).await.expect("members");
        }
        Reference::CreateObjective => {
            let input = ObjectiveInput {
                statement: format!("Reference objective {n}: phishing click rate below 5 %"),
                kind: Kind::Organisational,
                person: None,
                owner: ceo,
                target_value: 5.0,
                unit: "%".into(),
                direction: Direction::AtMost,
                due_on: mandate::domain::objective::parse_date("2027-12-31", "due date").expect("date"),
                resources: "awareness budget".into(),
                evaluation_method: "simulation results".into(),
                frequency: Frequency::parse("quarterly", None).expect("frequency"),
                policy_id: None,
            };
            mandate::objectives::create(&ctx, org, ceo, &input).await.expect("create");
        }
        Reference::UploadEvidence => {
            let bytes = bytes::Bytes::from(evidence_bytes(n));
            let body = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes)]);
            let staged = blobs.stage(body, 1 << 20).await.expect("stage");
            let upload = Upload {
                title: None,
                filename: format!("reference-{n}.txt"),
                declared_type: "text/plain".into(),
                record_type: None,
                record_id: None,
                expires_at: None,
                supersedes: None,
            };
            mandate::evidence::accept(&ctx, blobs, org, ceo, staged, upload).await.expect("upload");
        }
    }
}
