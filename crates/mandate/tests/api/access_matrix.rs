//! The access matrix: every API route with every role, anonymous, and an administrator of another
//! organisation; and every page route with every role. Denied requests must change nothing.

use crate::harness::{Reply, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::{AppointmentId, CatalogueRoleId, OrgId, TokenId, UserId};
use mandate::domain::policy::Step;
use mandate::domain::role::Role;
use mandate::http::access::{Access, rule};
use mandate::roles::appointments::{self, NewAppointment, Recorder};
use serde_json::{Value, json};

/// Everything a request could change, for both organisations.
async fn fingerprint(app: &TestApp, orgs: &[OrgId]) -> String {
    let mut c = app.db.read().await.unwrap();
    let mut out = format!("orgs={}\n", db::organisation::count(&mut c.conn()).await.unwrap());
    for org in orgs {
        for m in db::membership::list(&mut c.conn(), *org, "", 1000, 0).await.unwrap().members {
            out += &format!("{org} {} {} {} {:?} {:?}\n", m.email, m.name, m.role, m.disabled_at, m.expires_at);
        }
        for t in db::api_token::list(&mut c.conn(), *org).await.unwrap() {
            out += &format!("{org} token {} {} {:?}\n", t.id, t.role, t.revoked_at);
        }
        let filter = db::evidence::Filter { include_superseded: true, ..Default::default() };
        let (evidence, _) = db::evidence::list(&mut c.conn(), *org, &filter, 1000, 0).await.unwrap();
        for e in evidence {
            out += &format!("{org} evidence {} {} {:?}\n", e.id, e.sha256, e.superseded_by);
        }
        for r in
            db::resource::lines(&mut c.conn(), *org, &db::resource::LineQuery { limit: 1000, ..Default::default() })
                .await
                .unwrap()
        {
            out += &format!("{org} resource {} {} {} {}\n", r.row.id, r.row.status, r.row.updated_at, r.entry_count);
        }
        out += &format!("{org} resource settings {:?}\n", db::resource::settings(&mut c.conn(), *org).await.unwrap());
        let filter = db::policy::Filter::default();
        for p in db::policy::list(&mut c.conn(), *org, &filter, 1000, 0).await.unwrap().0 {
            out += &format!("{org} policy {} {} {:?} {:?}\n", p.id, p.title, p.latest_status, p.next_review_at);
        }
        out += &roles_fingerprint(&mut c.conn(), *org).await;
        let filter = db::objective::Filter::default();
        let (objectives, _) =
            db::objective::list(&mut c.conn(), *org, &filter, Default::default(), 1000, 0).await.unwrap();
        for o in objectives {
            out += &format!("{org} objective {} {} {} {}\n", o.id, o.statement, o.status, o.updated_at);
            for m in db::measurement::for_objective(&mut c.conn(), *org, o.id).await.unwrap() {
                out += &format!("{org} measurement {} {} {:?}\n", m.id, m.value, m.withdrawn_at);
            }
        }
        for s in db::phishing::list(&mut c.conn(), *org, 1000, 0).await.unwrap().0 {
            out += &format!("{org} simulation {} {} {:?} {}\n", s.id, s.name, s.import_sha256, s.result_count);
        }
        let (entries, _) = db::involvement::list(&mut c.conn(), *org, &Default::default(), 1000, 0).await.unwrap();
        for i in entries {
            out += &format!("{org} involvement {} {} {}\n", i.id, i.manager_id, i.kind);
        }
        out += &crate::meetings::fingerprint(app, *org).await;
        let head = db::ledger::head(&mut c.conn(), *org).await.unwrap().map(|h| h.size);
        out += &format!("{org} ledger {head:?}\n");
    }
    out
}

/// The role catalogue, appointments, RACI cells and segregation rules of `org`.
async fn roles_fingerprint(c: &mut db::Conn<'_>, org: OrgId) -> String {
    let mut out = String::new();
    let now = i64::MAX / 2;
    let all = db::role_catalogue::Filter { include_retired: true, ..Default::default() };
    for r in db::role_catalogue::list(c, org, &all, now, 1000, 0).await.unwrap().0 {
        out += &format!("{org} role {} {} {} {} {:?}\n", r.id, r.name, r.description, r.needs_deputy, r.retired_at);
    }
    let (appointments, _) = db::appointment::list(c, org, &Default::default(), now, 1000, 0).await.unwrap();
    let ids: Vec<_> = appointments.iter().map(|a| a.id).collect();
    for a in &appointments {
        out += &format!("{org} appointment {} {:?} {:?} {:?}\n", a.id, a.decision_ref, a.ends_on, a.ended_at);
    }
    for d in db::appointment::deputies(c, org, &ids).await.unwrap() {
        out += &format!("{org} deputy {} {}\n", d.appointment_id, d.user_id);
    }
    for p in db::raci::list(c, org, true).await.unwrap() {
        out += &format!("{org} process {} {} {:?}\n", p.id, p.name, p.retired_at);
    }
    for cell in db::raci::cells(c, org, None).await.unwrap() {
        out += &format!("{org} cell {} {} {}\n", cell.process_id, cell.role_id, cell.letter);
    }
    for rule in db::sod::list(c, org, true).await.unwrap() {
        out += &format!("{org} rule {} {} {}\n", rule.id, rule.reason, rule.active);
    }
    out
}

/// A concrete request for each API route, aimed at organisation A's objects.
struct Target {
    employee: UserId,
    token: TokenId,
    evidence: i64,
    policy: i64,
    exception: i64,
    until: String,
    roles: RoleTargets,
    resource: i64,
    objective: i64,
    measurement: i64,
    /// A communication plan entry and a training campaign (everyone enrolled).
    plan: i64,
    training: i64,
    /// A phishing simulation and an involvement entry.
    simulation: i64,
    involvement: i64,
    meeting: MeetingTargets,
    /// A planned management review.
    review: i64,
}

/// A meeting of organisation A with a decision and an action owned by someone who is none of the callers.
struct MeetingTargets {
    meeting: i64,
    decision: i64,
    action: i64,
}

async fn target_meeting(app: &TestApp, org: OrgId, slug: &str) -> MeetingTargets {
    use mandate::domain::meeting::{MeetingKind, Topic};
    use mandate::meetings::{self, MeetingInput, actions::ActionInput, decisions::DecisionInput};
    let admin = mandate::accounts::member_by_email(&app.db, org, &format!("admin@{slug}.test")).await.unwrap().user_id;
    let owner = app.member_as(org, &format!("action-owner@{slug}.test"), Role::Employee).await;
    let ctx = app.ctx();
    let input = MeetingInput {
        kind: MeetingKind::Board,
        title: "Target meeting".into(),
        held_on: app.now(),
        place: String::new(),
        chair: admin,
        attendees: Vec::new(),
        agenda: Vec::new(),
        minutes: "Target minutes".into(),
    };
    let meeting = meetings::create(&ctx, org, admin, &input).await.unwrap();
    let decision = DecisionInput { agenda_item: None, text: "Target".into(), decided_by: admin, topic: Topic::Risks };
    let decision = meetings::decisions::add(&ctx, org, meeting, admin, &decision).await.unwrap();
    let action = ActionInput { decision: Some(decision), title: "Target".into(), owner, due_on: app.now() + 86_400 };
    let action = meetings::actions::add(&ctx, org, meeting, admin, &action).await.unwrap();
    MeetingTargets { meeting: meeting.0, decision: decision.0, action: action.0 }
}

/// The role-capability records requests aim at.
struct RoleTargets {
    /// The top manager who made `appointment` (in organisation A, the caller with that role).
    top_manager: UserId,
    /// The person appointed.
    person: UserId,
    /// A catalogue role in use (it has `appointment`), and one not yet in a rule with it.
    role: CatalogueRoleId,
    other_role: CatalogueRoleId,
    appointment: AppointmentId,
    process: i64,
    rule: i64,
}

/// Seeds `org`'s catalogue and appoints `person` to its CISO role, made by `top_management@<slug>.test`.
async fn role_targets(app: &TestApp, org: OrgId, slug: &str, person: UserId) -> RoleTargets {
    let top = format!("top_management@{slug}.test");
    let top_manager = match mandate::accounts::member_by_email(&app.db, org, &top).await {
        Ok(member) => member.user_id,
        Err(_) => app.member_as(org, &top, Role::TopManagement).await,
    };
    let ctx = app.ctx();
    mandate::roles::ensure_seeded(&ctx, org).await.unwrap();
    let mut c = app.db.read().await.unwrap();
    let key = mandate::domain::role_catalogue::name_key;
    let role = db::role_catalogue::by_key(&mut c.conn(), org, &key("CISO")).await.unwrap().unwrap();
    let other_role = db::role_catalogue::by_key(&mut c.conn(), org, &key("Risk owner")).await.unwrap().unwrap();
    let process = db::raci::list(&mut c.conn(), org, false).await.unwrap()[0].id.0;
    let rule = db::sod::list(&mut c.conn(), org, false).await.unwrap()[0].id.0;
    drop(c);
    let new = NewAppointment {
        role,
        user: person,
        appointed_by: Some(top_manager),
        appointed_on: None,
        decision_ref: None,
        decision_id: None,
        ends_on: None,
        deputies: Vec::new(),
    };
    let appointment = appointments::appoint(&ctx, org, Recorder::System, &new).await.unwrap().id;
    RoleTargets { top_manager, person, role, other_role, appointment, process, rule }
}

/// Replaces a route's parameters with the target's objects.
fn concrete(path: &str, target: &Target) -> String {
    path.replace("/users/{id}", &format!("/users/{}", target.employee))
        .replace("/tokens/{id}", &format!("/tokens/{}", target.token))
        .replace("/evidence/{id}", &format!("/evidence/{}", target.evidence))
        .replace("/policies/{id}", &format!("/policies/{}", target.policy))
        .replace("/roles/{id}", &format!("/roles/{}", target.roles.role))
        .replace("/appointments/{id}", &format!("/appointments/{}", target.roles.appointment))
        .replace("/processes/{id}", &format!("/processes/{}", target.roles.process))
        .replace("/raci/{id}", &format!("/raci/{}", target.roles.process))
        .replace("/sod-rules/{id}", &format!("/sod-rules/{}", target.roles.rule))
        .replace("/resources/{id}", &format!("/resources/{}", target.resource))
        .replace("{number}", "1")
        .replace("{duty}", "7.1")
        .replace("{exception_id}", &target.exception.to_string())
        .replace("/objectives/{id}", &format!("/objectives/{}", target.objective))
        .replace("{measurement_id}", &target.measurement.to_string())
        .replace("/plan/{id}", &format!("/plan/{}", target.plan))
        .replace("/training/{id}", &format!("/training/{}", target.training))
        .replace("/phishing/{id}", &format!("/phishing/{}", target.simulation))
        .replace("/involvement/{id}", &format!("/involvement/{}", target.involvement))
        .replace("/meetings/{id}", &format!("/meetings/{}", target.meeting.meeting))
        .replace("/decisions/{id}", &format!("/decisions/{}", target.meeting.decision))
        .replace("/actions/{id}", &format!("/actions/{}", target.meeting.action))
        .replace("/reviews/{id}", &format!("/reviews/{}", target.review))
        .replace("{key}", "b_issues")
}

/// A planned management review of `org` chaired by `chair`.
async fn target_review(app: &TestApp, org: OrgId, chair: UserId) -> i64 {
    let input = mandate::leadership::review::PlanInput {
        title: "Target review".into(),
        planned_on: app.now(),
        chair: Some(chair),
    };
    mandate::leadership::review::plan(&app.ctx(), org, chair, &input).await.unwrap()
}

/// A phishing simulation approved by `top_manager` and an involvement entry of theirs, in `org`.
async fn leadership_targets(app: &TestApp, org: OrgId, top_manager: UserId) -> (i64, i64) {
    use mandate::domain::involvement::Kind;
    use mandate::involvement::{InvolvementInput, Recorder};
    let ctx = app.ctx();
    let input = mandate::phishing::SimulationInput {
        name: "Target simulation".into(),
        gophish_campaign_id: None,
        launched_on: app.now(),
        audience: "All".into(),
        approved_by: top_manager,
        approved_on: app.now(),
    };
    let simulation = mandate::phishing::create(&ctx, org, top_manager, &input).await.unwrap().id.0;
    let by = Recorder { user: top_manager, role: Role::TopManagement };
    let entry = InvolvementInput {
        manager: top_manager,
        kind: Kind::WorkplaceVisit,
        occurred_on: app.now(),
        place: "Depot".into(),
        notes: String::new(),
        record: None,
    };
    let involvement = mandate::involvement::record(&ctx, org, by, &entry).await.unwrap().id.0;
    (simulation, involvement)
}

/// Refusals that come from the record rather than the route: only an objective's owner, the ISMS manager and
/// administrators record or withdraw its measurements, and the target objective belongs to someone else.
fn refused_by_record(role: Role, method: &Method, path: &str) -> bool {
    let path = path.trim_start_matches("/api/v1");
    let measures = path.starts_with("/objectives/{id}/measurements");
    // The target action is owned by someone else: employees neither read nor close it, top management does not
    // close it.
    let action = path.starts_with("/actions/{id}");
    let closes_action = action && *method == Method::POST && matches!(role, Role::TopManagement | Role::Employee);
    *method == Method::POST && measures && matches!(role, Role::TopManagement | Role::Employee)
        || closes_action
        || action && role == Role::Employee
}

/// A plan entry and a training campaign of `org`, made by its administrator: (plan entry, campaign).
async fn target_communication(app: &TestApp, org: OrgId) -> (i64, i64) {
    use mandate::communication::{self, PlanInput, training};
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let audience = mandate::domain::campaign::Audience::everyone();
    let plan = PlanInput {
        subject: "Target newsletter".into(),
        description: String::new(),
        frequency: mandate::domain::communication::Cadence::Monthly,
        first_due_on: app.now(),
        communicator: admin,
        audience: audience.clone(),
        channel: mandate::domain::communication::Channel::Newsletter,
    };
    let plan = communication::create(&app.ctx(), org, admin, &plan).await.unwrap().id.0;
    let input = training::TrainingInput {
        title: "Target training".into(),
        description: String::new(),
        audience,
        due_on: app.now() + 30 * 86_400,
        launched_by: None,
    };
    (plan, training::launch(&app.ctx(), org, admin, &input).await.unwrap().id.0)
}

/// An organisational objective of `org`, owned by `owner@acme.test` (who is none of the callers), with one
/// measurement: (objective, measurement).
async fn target_objective(app: &TestApp, org: OrgId) -> (i64, i64) {
    let owner = app.member_as(org, "owner@acme.test", Role::TopManagement).await;
    let token = app.token(org, owner).await;
    let body = crate::objectives::objective(json!({}));
    let objective = app.api(Method::POST, "/api/v1/objectives", Some(&token), Some(body)).await.json()["id"].as_i64();
    let objective = objective.expect("the target objective is created");
    let reply = crate::objectives::measure(app, &token, objective, 50.0, "2026-11-20").await;
    (objective, reply.json()["id"].as_i64().unwrap())
}

fn request_for(method: &Method, path: &str, target: &Target, n: usize) -> (String, Option<Value>) {
    let concrete = concrete(path, target);
    if let Some(body) = roles_body(method, path, &target.roles, n) {
        return (concrete, Some(body));
    }
    let body = match (method.as_str(), path) {
        ("POST", "/api/v1/users") => {
            Some(json!({"email": format!("new{n}@matrix.test"), "name": "New", "role": "employee"}))
        }
        ("PATCH", "/api/v1/users/{id}") => Some(json!({"role": "auditor"})),
        ("POST", "/api/v1/tokens") => Some(json!({"name": format!("matrix {n}")})),
        ("POST", "/api/v1/policies") => Some(json!({"title": format!("Policy {n}"), "body": "text"})),
        ("PATCH", "/api/v1/policies/{id}") => Some(json!({"review_months": 6})),
        ("POST", "/api/v1/policies/{id}/exceptions") => {
            Some(json!({"summary": format!("exception {n}"), "reason": "r", "expires_on": target.until}))
        }
        ("POST", "/api/v1/policies/{id}/exceptions/{exception_id}/decision") => {
            Some(json!({"decision": "approve", "note": "ok"}))
        }
        ("POST", "/api/v1/policies/{id}/reviews") => Some(json!({"outcome": "no_change"})),
        ("POST", "/api/v1/policies/{id}/versions") => Some(json!({"body": "next"})),
        ("PATCH", "/api/v1/policies/{id}/versions/{number}") => Some(json!({"body": "edited"})),
        ("POST", "/api/v1/policies/{id}/versions/{number}/campaigns") => Some(json!({"audience": {"everyone": true}})),
        ("POST", "/api/v1/policies/{id}/versions/{number}/steps") => Some(json!({"step": "submit"})),
        ("POST", "/api/v1/resources") => Some(json!({"title": format!("matrix {n}"), "purpose": "p",
            "initiative": "i", "amount": "100.00", "due_on": "2027-06-30"})),
        ("PATCH", "/api/v1/resources/settings") => Some(json!({"underspent_percent": 60})),
        ("POST", "/api/v1/resources/{id}/approve") => Some(json!({"decision_ref": format!("matrix {n}")})),
        ("POST", "/api/v1/resources/{id}/refuse") => Some(json!({"decision_ref": "matrix", "reason": "matrix"})),
        ("POST", "/api/v1/resources/{id}/entries") => Some(json!({"amount": "1.00", "spent_on": "2026-11-23"})),
        ("POST", "/api/v1/resources/{id}/close") => Some(json!({"unspent": "returned"})),
        ("POST", "/api/v1/objectives") => {
            Some(crate::objectives::objective(json!({"statement": format!("matrix {n}")})))
        }
        ("PATCH", "/api/v1/objectives/{id}") => Some(json!({"statement": format!("matrix {n}")})),
        ("POST", "/api/v1/objectives/{id}/measurements") => Some(json!({"value": n, "measured_on": "2026-11-20"})),
        ("POST", "/api/v1/objectives/{id}/measurements/{measurement_id}/withdraw") => Some(json!({"reason": "matrix"})),
        ("POST", "/api/v1/communication/plan") => {
            Some(json!({"subject": format!("matrix {n}"), "frequency": "monthly",
            "first_due_on": "2026-12-01", "audience": {"everyone": true}, "channel": "email"}))
        }
        ("POST", "/api/v1/communications") => Some(json!({"sent_on": "2026-11-20", "channel": "email",
            "subject": format!("matrix {n}"), "audience": {"everyone": true}})),
        ("POST", "/api/v1/training") => {
            Some(json!({"title": format!("matrix {n}"), "audience": {"everyone": true}, "due_on": "2026-12-31"}))
        }
        ("POST", "/api/v1/training/{id}/completions") => {
            Some(json!({"user_id": target.employee, "completed_on": "2026-11-23"}))
        }
        ("POST", "/api/v1/meetings/{id}/decisions") => Some(json!({"text": format!("matrix {n}"), "topic": "risks"})),
        ("POST", "/api/v1/meetings/{id}/actions") => {
            Some(json!({"title": format!("matrix {n}"), "owner_id": target.employee, "due_on": "2030-01-01"}))
        }
        // Every organisation without meetings has this finding; the first caller dismisses it or makes the
        // action, later ones meet 409.
        ("POST", "/api/v1/leadership/findings/dismissals") => Some(json!({"detector": "incidents_not_discussed",
            "subject": "topic:incidents:after:0", "reason": "matrix"})),
        // Withdraws that dismissal: the first caller does, later ones meet 404 (see `withdrawn_already`).
        ("POST", "/api/v1/leadership/findings/dismissals/withdraw") => {
            Some(json!({"detector": "incidents_not_discussed", "subject": "topic:incidents:after:0"}))
        }
        ("POST", "/api/v1/leadership/findings/actions") => {
            Some(json!({"detector": "incidents_not_discussed", "subject": "topic:incidents:after:0"}))
        }
        ("PATCH", "/api/v1/leadership/windows/{duty}") => Some(json!({"window_days": 300 + n})),
        ("POST", "/api/v1/actions/{id}/close") => Some(json!({"note": "matrix"})),
        ("POST", "/api/v1/actions/{id}/cancel") => Some(json!({"reason": "matrix"})),
        ("PATCH", "/api/v1/reviews/{id}/inputs/{key}") => Some(json!({"notes": format!("matrix {n}")})),
        ("PATCH", "/api/v1/reviews/{id}/attendance") => {
            Some(json!([{"user_id": target.roles.top_manager, "presence": "present"}]))
        }
        ("POST", "/api/v1/reviews/{id}/outputs") => Some(json!({"kind": "improvement", "text": format!("matrix {n}"),
            "decided_by": target.roles.top_manager})),
        _ => None,
    };
    (concrete, body)
}

/// The body of a request to the roles capability's routes.
fn roles_body(method: &Method, path: &str, t: &RoleTargets, n: usize) -> Option<Value> {
    Some(match (method.as_str(), path) {
        ("POST", "/api/v1/roles") => json!({"name": format!("Matrix role {n}")}),
        ("PATCH", "/api/v1/roles/{id}") => json!({"description": format!("matrix {n}")}),
        ("POST", "/api/v1/appointments") => {
            json!({"role_id": t.other_role, "user_id": t.person, "appointed_by": t.top_manager})
        }
        ("PATCH", "/api/v1/appointments/{id}") => json!({"decision_ref": format!("matrix {n}")}),
        ("POST", "/api/v1/appointments/{id}/end") => json!({"reason": "matrix"}),
        ("POST", "/api/v1/raci/processes") => json!({"name": format!("Matrix process {n}")}),
        ("PATCH", "/api/v1/raci/processes/{id}") => json!({"cells": [{"role_id": t.role, "letter": "A"}]}),
        ("POST", "/api/v1/sod-rules") => json!({"role_a": t.role, "role_b": t.other_role}),
        ("PATCH", "/api/v1/sod-rules/{id}") => json!({"reason": format!("matrix {n}")}),
        ("POST", "/api/v1/phishing") => json!({"name": format!("Matrix {n}"), "launched_on": "2026-11-20",
            "audience": "All", "approved_by": t.top_manager, "approved_on": "2026-11-19"}),
        ("POST", "/api/v1/involvement") => json!({"kind": "workplace_visit", "manager_id": t.top_manager}),
        ("POST", "/api/v1/reviews") => {
            json!({"title": format!("matrix {n}"), "planned_on": "2026-12-01", "chair_id": t.top_manager})
        }
        ("PATCH", "/api/v1/reviews/schedule") => json!({"every_months": 6, "chair_id": t.top_manager}),
        ("POST", "/api/v1/meetings") => {
            json!({"kind": "board", "title": format!("Matrix {n}"), "held_on": "2020-01-01", "chair_id": t.top_manager})
        }
        _ => return None,
    })
}

/// Sends the matrix request: JSON, or a multipart upload for the evidence route.
async fn call(app: &TestApp, method: &Method, uri: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    if *method == Method::POST && uri == "/api/v1/evidence" {
        let parts = [crate::harness::Part::file("matrix.pdf", "application/pdf", crate::harness::PDF)];
        return app.upload(uri, token, &parts).await;
    }
    if let (Some(token), "/api/v1/people/import") = (token, uri) {
        return crate::people_import::send_csv(app, uri, token, "name,email\nMatrix Person,matrix@import.test\n").await;
    }
    if let (Some(token), true) = (token, uri.ends_with("/completions/import")) {
        return crate::people_import::send_csv(app, uri, token, "email,completed_on\ntarget@acme.test,2026-11-23\n")
            .await;
    }
    if let (Some(token), true) = (token, uri.ends_with("/results/import")) {
        let id = uri.trim_start_matches("/api/v1/phishing/").trim_end_matches("/results/import").parse().unwrap();
        return crate::phishing::send_results(app, id, token, &crate::phishing::fixture("good.csv"), false).await;
    }
    app.api(method.clone(), uri, token, body).await
}

/// A published policy of organisation `org` with one requested exception, for requests to aim at; returns
/// (policy, exception).
async fn target_policy(app: &TestApp, org: OrgId, document: i64) -> (i64, i64) {
    use mandate::policies::{self, PolicyInput, StepInput, VersionInput, Who};
    let ceo = app.member_as(org, "target-ceo@acme.test", Role::TopManagement).await;
    let by = Who { user: ceo, role: Role::TopManagement };
    let ctx = app.ctx();
    let input = PolicyInput { title: "Target policy".into(), owner: ceo, review_months: 12 };
    let first = VersionInput {
        body: "# Target".into(),
        document: Some(mandate::domain::ids::EvidenceId(document)),
        ..VersionInput::default()
    };
    let policy = policies::create(&ctx, org, by, &input, &first).await.unwrap();
    for step in [Step::Submit, Step::Approve, Step::Publish] {
        policies::take_step(&ctx, org, policy, 1, by, step, &StepInput::default()).await.unwrap();
    }
    let exception =
        policies::exception::request(&ctx, org, policy, by, "target", "r", app.now() + 86_400 * 30).await.unwrap();
    (policy.0, exception.0)
}

/// A piece of evidence in organisation `org`, uploaded by its administrator, for requests to aim at.
async fn upload_target_evidence(app: &TestApp, org: OrgId) -> i64 {
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let token = app.token(org, admin).await;
    let parts = [crate::harness::Part::file("target.pdf", "application/pdf", crate::harness::PDF)];
    app.upload("/api/v1/evidence", Some(&token), &parts).await.json()["id"].as_i64().unwrap()
}

/// A requested commitment in organisation `org`, asked for by `by`, for requests to aim at.
async fn request_target_resource(app: &TestApp, org: OrgId, by: UserId) -> i64 {
    let input = mandate::resources::RequestInput {
        title: "Target".into(),
        purpose: "For the matrix".into(),
        initiative: "Matrix".into(),
        amount: "40000.00".into(),
        due_on: "2027-06-30".into(),
        ..Default::default()
    };
    mandate::resources::request(&app.ctx(), org, by, &input).await.unwrap().0
}

/// Tokens of organisation B, one per role, so each `{id}` route can be tried by a B member its rule lets in.
async fn tokens_per_role(app: &TestApp, org: OrgId, slug: &str) -> Vec<(Role, String)> {
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let user = match role {
            Role::Admin => {
                mandate::accounts::member_by_email(&app.db, org, &format!("admin@{slug}.test")).await.unwrap().user_id
            }
            _ => app.member(org, slug, role).await,
        };
        tokens.push((role, app.token(org, user).await));
    }
    tokens
}

fn succeeded(reply: &Reply) -> bool {
    reply.status.is_success()
}

/// An allowed caller got past the access rule: reads succeed; a change may still be refused by the record's
/// state (409) or a rule of its own (422) — an earlier caller in the matrix may already have made it.
fn let_through(method: &Method, reply: &Reply) -> bool {
    reply.status.is_success()
        || *method != Method::GET && matches!(reply.status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY)
}

/// A dismissal withdrawn by an earlier caller in the matrix is gone: later callers meet 404, past the access rule.
fn withdrawn_already(path: &str, reply: &Reply) -> bool {
    path.ends_with("/dismissals/withdraw") && reply.status == StatusCode::NOT_FOUND
}

async fn every_api_route_with_every_caller(app: &TestApp) {
    let a = app.org("acme").await;
    let b = app.org("globex").await;
    let tokens = tokens_per_role(app, a, "acme").await;
    // The objects the requests aim at belong to someone whose token is not one of the callers.
    let employee = app.member_as(a, "target@acme.test", Role::Employee).await;
    let target_token = mandate::accounts::create_token(&app.ctx(), a, employee, None, "target").await.unwrap().0;
    let evidence = upload_target_evidence(app, a).await;
    let (policy, exception) = target_policy(app, a, evidence).await;
    let until = mandate::clock::format_utc(app.now() + 86_400 * 60)[..10].to_string();
    let roles = role_targets(app, a, "acme", employee).await;
    let b_tokens = tokens_per_role(app, b, "globex").await;
    // B's members fill the bodies of requests to B's own collections with B's records.
    let b_person = app.member_as(b, "target@globex.test", Role::Employee).await;
    let b_roles = role_targets(app, b, "globex", b_person).await;
    let resource = request_target_resource(app, a, employee).await;
    let (objective, measurement) = target_objective(app, a).await;
    let (plan, training) = target_communication(app, a).await;
    let (simulation, involvement) = leadership_targets(app, a, roles.top_manager).await;
    let meeting = target_meeting(app, a, "acme").await;
    let review = target_review(app, a, roles.top_manager).await;
    let target = Target {
        employee,
        token: target_token,
        evidence,
        policy,
        exception,
        until,
        roles,
        resource,
        objective,
        measurement,
        plan,
        training,
        simulation,
        involvement,
        meeting,
        review,
    };

    let routes = mandate::http::routes();
    let api: Vec<_> =
        routes.table().iter().filter(|(_, p)| p.starts_with("/api/v1/") && *p != "/api/v1/openapi.json").collect();
    assert!(api.len() >= 8, "the matrix covers the API");
    let mut n = 0;
    for (method, path) in api {
        let access = rule(method, path).expect("every route has a rule");
        // Anonymous.
        n += 1;
        let (uri, body) = request_for(method, path, &target, n);
        let before = fingerprint(app, &[a, b]).await;
        let reply = call(app, method, &uri, None, body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "anonymous {method} {path}");
        assert_eq!(before, fingerprint(app, &[a, b]).await, "anonymous {method} {path} changed something");

        // Each role of organisation A.
        for (role, token) in &tokens {
            n += 1;
            let (uri, body) = request_for(method, path, &target, n);
            let before = fingerprint(app, &[a, b]).await;
            let reply = call(app, method, &uri, Some(token), body).await;
            if access.allows(*role) && !refused_by_record(*role, method, path) {
                assert!(
                    let_through(method, &reply) || withdrawn_already(path, &reply),
                    "{role} {method} {path} should pass: {} {}",
                    reply.status,
                    reply.text()
                );
            } else {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role} {method} {path}: {}", reply.text());
                assert_eq!(reply.error_code(), "forbidden");
                assert_eq!(before, fingerprint(app, &[a, b]).await, "denied {role} {method} {path} changed something");
            }
        }

        // A member of organisation B whom the rule lets in (its administrator where possible) never sees or
        // touches A's rows.
        n += 1;
        let (uri, mut body) = request_for(method, path, &target, n);
        if !path.contains("{id}") {
            body = roles_body(method, path, &b_roles, n).or(body);
        }
        let before_a = fingerprint(app, &[a]).await;
        let b_token = &b_tokens.iter().find(|(role, _)| access.allows(*role)).expect("some role passes every rule").1;
        let reply = call(app, method, &uri, Some(b_token), body).await;
        let text = reply.text();
        assert!(!text.contains("acme.test"), "{method} {path} leaked organisation A's data to B: {text}");
        if path.contains("{id}") {
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "B's member {method} {path}: {text}");
            assert_eq!(reply.error_code(), "not_found");
        } else {
            assert!(succeeded(&reply), "B's member on its own collection {method} {path}: {text}");
        }
        assert_eq!(before_a, fingerprint(app, &[a]).await, "B's member {method} {path} changed organisation A");
    }
}

async fn a_token_never_exceeds_its_own_role(app: &TestApp) {
    let a = app.org("acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, a, "admin@acme.test").await.unwrap().user_id;
    let (_, narrow) =
        mandate::accounts::create_token(&app.ctx(), a, admin, Some(Role::Auditor), "read only").await.unwrap();
    let me = app.api(Method::GET, "/api/v1/me", Some(&narrow), None).await.json();
    assert_eq!(me["role"], "auditor");
    assert_eq!(app.api(Method::GET, "/api/v1/users", Some(&narrow), None).await.status, StatusCode::FORBIDDEN);
    let manager = app.member(a, "acme", Role::IsmsManager).await;
    let wider = mandate::accounts::create_token(&app.ctx(), a, manager, Some(Role::Admin), "escalate").await;
    assert!(matches!(wider, Err(mandate::error::AppError::Forbidden(_))), "{wider:?}");
}

async fn every_page_route_with_every_role(app: &TestApp) {
    let a = app.org("acme").await;
    let b = app.org("globex").await;
    for role in [Role::IsmsManager, Role::TopManagement, Role::Auditor, Role::Employee] {
        app.member(a, "acme", role).await;
    }
    let employee = mandate::accounts::member_by_email(&app.db, a, "employee@acme.test").await.unwrap().user_id;
    let token = mandate::accounts::create_token(&app.ctx(), a, employee, None, "target").await.unwrap().0;
    let evidence = upload_target_evidence(app, a).await;
    let (policy, exception) = target_policy(app, a, evidence).await;
    let roles = role_targets(app, a, "acme", employee).await;
    let resource = request_target_resource(app, a, employee).await;
    let (objective, measurement) = target_objective(app, a).await;
    let (plan, training) = target_communication(app, a).await;
    let (simulation, involvement) = leadership_targets(app, a, roles.top_manager).await;
    let until = String::new();
    let meeting = target_meeting(app, a, "acme").await;
    let review = target_review(app, a, roles.top_manager).await;
    let target = Target {
        employee,
        token,
        evidence,
        policy,
        exception,
        until,
        roles,
        resource,
        objective,
        measurement,
        plan,
        training,
        simulation,
        involvement,
        meeting,
        review,
    };
    let pages: Vec<_> = mandate::http::routes()
        .table()
        .iter()
        .filter(|(_, p)| !p.starts_with("/api/"))
        .filter(|(_, p)| matches!(rule(&Method::GET, p).or(rule(&Method::POST, p)), Some(Access::Roles(_))))
        .cloned()
        .collect();
    assert!(pages.len() >= 7);
    for role in Role::ALL {
        let browser = app.browser();
        browser.sign_in(&format!("{role}@acme.test")).await;
        for (method, path) in &pages {
            let Some(Access::Roles(roles)) = rule(method, path) else { continue };
            let uri = concrete(path, &target);
            let before = fingerprint(app, &[a, b]).await;
            let reply = if *method == Method::GET {
                browser.get(&uri).await
            } else {
                browser.post(&uri, &form_for(path)).await
            };
            if roles.contains(&role) && !refused_by_record(role, method, path) {
                // Let through by the access rule (a form the route cannot use, like a plain form to the upload
                // route, is still refused, but not as forbidden; a change may be refused by the record's state,
                // as in the API matrix).
                let allowed = reply.status.is_success()
                    || reply.status.is_redirection() && reply.location() != Some("/login")
                    || reply.status == StatusCode::UNSUPPORTED_MEDIA_TYPE
                    || *method == Method::POST
                        && (let_through(method, &reply) || reply.status == StatusCode::BAD_REQUEST);
                assert!(allowed, "{role} {method} {path}: {}", reply.status);
            } else {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role} {method} {path}");
                assert_eq!(before, fingerprint(app, &[a, b]).await, "denied {role} {method} {path} changed something");
            }
        }
    }
    // Anonymous visitors are sent to the sign-in page.
    let anonymous = app.browser();
    for (method, path) in &pages {
        if *method == Method::GET {
            assert_eq!(anonymous.get(path).await.location(), Some("/login"), "{path}");
        }
    }
    // B's administrator cannot touch A's people or tokens through the pages.
    let b_admin = app.browser();
    b_admin.sign_in("admin@globex.test").await;
    let before = fingerprint(app, &[a]).await;
    let reply = b_admin.post(&format!("/admin/users/{employee}"), &[("role", "admin")]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = b_admin.post(&format!("/admin/tokens/{token}/revoke"), &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let listing = b_admin.get("/admin/users").await.text();
    assert!(!listing.contains("acme.test"));
    let tokens = b_admin.get("/admin/tokens").await.text();
    assert!(!tokens.contains("acme.test"));
    // Nor A's roles, appointments, processes or segregation rules.
    for path in ["/roles/{id}", "/appointments/{id}", "/raci/{id}"] {
        assert_eq!(b_admin.get(&concrete(path, &target)).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let changes = ["/roles/{id}", "/roles/{id}/delete", "/appointments/{id}", "/appointments/{id}/end"];
    for path in changes.into_iter().chain(["/raci/{id}", "/raci/{id}/cells", "/sod-rules/{id}"]) {
        let reply = b_admin.post(&concrete(path, &target), &[("name", "x"), ("active", "false")]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "B's admin POST {path}");
    }
    for path in ["/roles", "/appointments", "/raci"] {
        assert!(!b_admin.get(path).await.text().contains("acme.test"), "{path}");
    }
    assert_eq!(b_admin.get(&format!("/resources/{resource}")).await.status, StatusCode::NOT_FOUND);
    for step in ["entries", "close"] {
        let reply = b_admin.post(&format!("/resources/{resource}/{step}"), &form_for("/resources/{id}/entries")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{step}");
    }
    assert!(!b_admin.get("/resources").await.text().contains("Target"));
    // B's top management cannot decide on A's requests.
    app.member(b, "globex", Role::TopManagement).await;
    let b_manager = app.browser();
    b_manager.sign_in("top_management@globex.test").await;
    for step in ["approve", "refuse"] {
        let reply = b_manager.post(&format!("/resources/{resource}/{step}"), &form_for("/resources/{id}/refuse")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{step}");
    }
    assert_eq!(before, fingerprint(app, &[a]).await);
}

/// A form each page route can act on; routes that do not use a field ignore it.
fn form_for(path: &str) -> Vec<(&'static str, &'static str)> {
    match path {
        "/resources" => vec![
            ("title", "Matrix"),
            ("purpose", "p"),
            ("initiative", "i"),
            ("amount", "5.00"),
            ("due_on", "2027-06-30"),
        ],
        "/resources/settings" => vec![("currency", "EUR"), ("underspent_percent", "50")],
        "/leadership/windows" => vec![("7.1", "400")],
        "/leadership/findings/dismiss" | "/leadership/findings/undismiss" | "/leadership/findings/act" => vec![
            ("detector", "supplier_risks_not_raised"),
            ("subject", "topic:suppliers:after:0"),
            ("reason", "Matrix"),
        ],
        "/resources/{id}/approve" | "/resources/{id}/refuse" => vec![("decision_ref", "Matrix"), ("reason", "Matrix")],
        "/resources/{id}/entries" | "/resources/{id}/close" => {
            vec![("amount", "1.00"), ("spent_on", "2026-11-23"), ("unspent", "returned")]
        }
        "/objectives" | "/objectives/{id}" => vec![
            ("statement", "Matrix objective"),
            ("kind", "organisational"),
            ("owner_email", "owner@acme.test"),
            ("target_value", "95"),
            ("unit", "%"),
            ("direction", "at_least"),
            ("due_on", "2027-06-30"),
            ("resources", "time"),
            ("evaluation_method", "count"),
            ("frequency", "monthly"),
        ],
        "/objectives/{id}/measurements" => vec![("value", "1"), ("measured_on", "2026-11-20")],
        "/objectives/{id}/measurements/{measurement_id}/withdraw" => vec![("reason", "matrix")],
        "/communication/plan" => vec![
            ("subject", "Matrix"),
            ("frequency", "monthly"),
            ("first_due_on", "2026-12-01"),
            ("everyone", "on"),
            ("channel", "email"),
        ],
        "/communication/record" => {
            vec![("sent_on", "2026-11-20"), ("subject", "Matrix"), ("channel", "email"), ("everyone", "on")]
        }
        "/training" => vec![("title", "Matrix"), ("due_on", "2026-12-31"), ("everyone", "on")],
        "/training/{id}/import" => {
            vec![("csv", "email,completed_on\nemployee@acme.test,2026-11-23\n"), ("action", "check")]
        }
        // Achieving is refused while no measurement meets the target: the objective stays open for the others.
        "/objectives/{id}/status" => vec![("status", "achieved")],
        _ => vec![("role", "employee"), ("name", "x"), ("email", "x@matrix.test")],
    }
}

on_both_databases!(
    every_api_route_with_every_caller,
    a_token_never_exceeds_its_own_role,
    every_page_route_with_every_role
);
