//! The web server: one router for pages and the JSON API, with authentication, access rules, CSRF checks and
//! security headers applied to every route.

pub mod access;
pub mod api;
pub mod auth;
pub mod client_ip;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod headers;
pub mod pages;

use crate::blob::BlobStore;
use crate::clock::Clock;
use crate::config::Config;
use crate::context::Ctx;
use crate::db::Db;
use crate::journal::{Actor, Journal};
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub journal: Arc<Journal>,
    pub blobs: BlobStore,
    /// The leadership page's snapshots, per organisation.
    pub leadership: crate::leadership::cache::Cache,
}

impl AppState {
    /// The context for a change made by `principal` in this request.
    pub fn ctx(&self, principal: &auth::Principal, request: &headers::RequestId) -> Ctx<'_> {
        let actor = Actor {
            name: principal.email.clone(),
            role: principal.role.as_str().into(),
            request_id: request.0.clone(),
        };
        self.ctx_as(actor)
    }

    /// The context for a change made by `actor`.
    pub fn ctx_as(&self, actor: Actor) -> Ctx<'_> {
        Ctx { db: &self.db, journal: &self.journal, actor, now: self.clock.now() }
    }
}

/// Requests whose bodies are larger than this are refused with 413 (uploads have their own limit).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Builds routes while remembering each (method, path), so tests can prove that every route has an access rule.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Self {
        Self { router: Router::new(), table: Vec::new() }
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("routes use standard methods");
        self.router = self.router.route(path, on(filter, handler));
        self.table.push((method, path));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::GET, path, handler)
    }
    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::POST, path, handler)
    }
    fn patch<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::PATCH, path, handler)
    }
    fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::DELETE, path, handler)
    }

    /// A POST route whose body may be up to `limit` bytes instead of [`BODY_LIMIT`] (large import files).
    fn post_large<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H, limit: usize) -> Self {
        let route = on(MethodFilter::POST, handler).layer(axum::extract::DefaultBodyLimit::max(limit));
        self.router = self.router.route(path, route);
        self.table.push((Method::POST, path));
        self
    }

    /// Every (method, path) the router serves.
    pub fn table(&self) -> &[(Method, &'static str)] {
        &self.table
    }
}

/// Every route Mandate serves, in one place.
pub fn routes() -> Routes {
    use api::phishing as api_phishing;
    use api::{actions as api_actions, meetings as api_meetings, reviews as api_reviews};
    use api::{appointments as api_appointments, raci as api_raci, roles as api_roles, sod as api_sod};
    use api::{communication as api_plan, communications as api_communications};
    use api::{evidence as api_evidence, ledger as api_ledger, me, openapi, tokens as api_tokens, users as api_users};
    use api::{findings as api_findings, involvement as api_involvement, leadership as api_leadership};
    use api::{measurements as api_measurements, objectives as api_objectives};
    use api::{
        people_import as api_people_import, policies as api_policies, policy_reviews as api_policy_reviews,
        policy_versions as api_policy_versions,
    };
    use api::{resource_actions as api_resource_actions, resources as api_resources};
    use api::{training as api_training, training_completions as api_training_completions};
    use pages::{action_pages, decision_page, meeting_detail, meeting_form, meetings};
    use pages::{
        admin_import, admin_tokens, admin_users, assets, evidence, home, ledger, login, orgs, policies, policy_version,
        setup,
    };
    use pages::{appointment_detail, appointments, raci, raci_process, role_detail, roles, sod_rules};
    use pages::{communication, communication_plan, communication_record, training, training_detail};
    use pages::{findings, involvement, involvement_form, phishing, phishing_form};
    use pages::{leadership, leadership_windows};
    use pages::{measurements, objective_form, objectives};
    use pages::{resource_actions, resource_detail, resource_request, resources};
    use pages::{review_minutes, review_pages};
    Routes::new()
        .get("/healthz", assets::healthz)
        .get("/static/style.css", assets::stylesheet)
        .get("/login", login::show)
        .post("/login", login::submit)
        .post("/logout", login::sign_out)
        .get("/setup", setup::show)
        .post("/setup", setup::submit)
        .get("/orgs/choose", orgs::show)
        .post("/orgs/choose", orgs::choose)
        .get("/", home::show)
        .get("/admin/import", admin_import::show)
        .post("/admin/import", admin_import::submit)
        .get("/admin/users", admin_users::list)
        .post("/admin/users", admin_users::add)
        .post("/admin/users/{id}", admin_users::change)
        .get("/admin/tokens", admin_tokens::list)
        .post("/admin/tokens", admin_tokens::create)
        .post("/admin/tokens/{id}/revoke", admin_tokens::revoke)
        .get("/evidence", evidence::list)
        .post("/evidence", evidence::upload)
        .get("/evidence/{id}", evidence::show)
        .get("/evidence/{id}/content", evidence::content)
        .get("/resources", resources::list)
        .post("/resources", resource_request::create)
        .get("/resources/new", resource_request::new)
        .post("/resources/settings", resources::settings)
        .get("/resources/{id}", resource_detail::show)
        .post("/resources/{id}/approve", resource_actions::approve)
        .post("/resources/{id}/refuse", resource_actions::refuse)
        .post("/resources/{id}/entries", resource_actions::record)
        .post("/resources/{id}/close", resource_actions::close)
        .get("/ledger", ledger::show)
        .get("/objectives", objectives::list)
        .post("/objectives", objective_form::create)
        .get("/objectives/new", objective_form::new)
        .get("/objectives/personal", objectives::personal)
        .get("/objectives/{id}", objectives::show)
        .post("/objectives/{id}", objective_form::update)
        .get("/objectives/{id}/chart.svg", objectives::chart)
        .get("/objectives/{id}/edit", objective_form::edit)
        .post("/objectives/{id}/measurements", measurements::add)
        .post("/objectives/{id}/measurements/{measurement_id}/withdraw", measurements::withdraw)
        .post("/objectives/{id}/status", objective_form::status)
        .get("/phishing", phishing::list)
        .post("/phishing", phishing_form::create)
        .get("/phishing/new", phishing_form::new)
        .get("/phishing/{id}", phishing::show)
        .post_large("/phishing/{id}/results", phishing_form::import, crate::phishing::import::MAX_REQUEST_BYTES)
        .get("/leadership", leadership::show)
        .get("/leadership/duties/{duty}", leadership::duty)
        .get("/leadership/windows", leadership_windows::show)
        .post("/leadership/windows", leadership_windows::save)
        .get("/involvement", involvement::list)
        .post("/involvement", involvement_form::create)
        .get("/involvement/new", involvement_form::new)
        .get("/involvement/{id}", involvement::show)
        .get("/leadership/findings", findings::page)
        .post("/leadership/findings/dismiss", findings::dismiss)
        .post("/leadership/findings/act", findings::act)
        .post("/leadership/findings/undismiss", findings::undismiss)
        .get("/roles", roles::list)
        .post("/roles", roles::create)
        .get("/roles/{id}", role_detail::show)
        .post("/roles/{id}", role_detail::change)
        .post("/roles/{id}/delete", role_detail::delete)
        .post("/sod-rules", sod_rules::create)
        .post("/sod-rules/{id}", sod_rules::change)
        .get("/appointments", appointments::list)
        .post("/appointments", appointments::create)
        .get("/appointments/{id}", appointment_detail::show)
        .post("/appointments/{id}", appointment_detail::change)
        .post("/appointments/{id}/end", appointment_detail::end)
        .get("/raci", raci::show)
        .post("/raci", raci::create)
        .get("/raci/{id}", raci_process::show)
        .post("/raci/{id}", raci_process::change)
        .post("/raci/{id}/cells", raci::save_row)
        .get("/policies", policies::list)
        .post("/policies", policies::create)
        .get("/policies/{id}", policies::show)
        .post("/policies/{id}", policies::update)
        .post("/policies/{id}/exceptions", policies::request_exception)
        .post("/policies/{id}/exceptions/{exception_id}/decision", policies::decide_exception)
        .post("/policies/{id}/reviews", policies::review)
        .post("/policies/{id}/versions", policies::new_version)
        .get("/policies/{id}/versions/{number}", policy_version::show)
        .post("/policies/{id}/versions/{number}", policy_version::edit)
        .post("/policies/{id}/versions/{number}/acknowledge", policy_version::acknowledge)
        .get("/policies/{id}/versions/{number}/document", policy_version::document)
        .post("/policies/{id}/versions/{number}/campaigns", policy_version::start_campaign)
        .post("/policies/{id}/versions/{number}/steps", policy_version::step)
        .get("/communication", communication::list)
        .post("/communication/plan", communication::create)
        .get("/communication/plan/{id}", communication_plan::show)
        .post("/communication/plan/{id}/retire", communication_plan::retire)
        .get("/communication/record", communication_record::show)
        .post("/communication/record", communication_record::record)
        .get("/training", training::list)
        .post("/training", training::launch)
        .get("/training/{id}", training_detail::show)
        .post("/training/{id}/completions", training_detail::complete)
        .post("/training/{id}/import", training_detail::import)
        .get("/meetings", meetings::list)
        .post("/meetings", meeting_form::create)
        .get("/meetings/new", meeting_form::new)
        .get("/meetings/{id}", meeting_detail::show)
        .post("/meetings/{id}/decisions", meeting_detail::add_decision)
        .post("/meetings/{id}/actions", meeting_detail::add_action)
        .get("/decisions/{id}", decision_page::show)
        .get("/actions", action_pages::list)
        .get("/actions/{id}", action_pages::show)
        .post("/actions/{id}/close", action_pages::close)
        .post("/actions/{id}/cancel", action_pages::cancel)
        .get("/api/v1/openapi.json", openapi::document)
        .get("/api/v1/communication/plan", api_plan::list)
        .post("/api/v1/communication/plan", api_plan::create)
        .get("/api/v1/communication/plan/{id}", api_plan::show)
        .post("/api/v1/communication/plan/{id}/retire", api_plan::retire)
        .get("/api/v1/communications", api_communications::list)
        .post("/api/v1/communications", api_communications::create)
        .get("/api/v1/training", api_training::list)
        .post("/api/v1/training", api_training::create)
        .get("/api/v1/training/{id}", api_training::show)
        .get("/api/v1/training/{id}/enrolments", api_training_completions::enrolments)
        .post("/api/v1/training/{id}/completions", api_training_completions::complete)
        .post("/api/v1/training/{id}/completions/import", api_training_completions::import)
        .get("/api/v1/evidence", api_evidence::list)
        .post("/api/v1/evidence", api_evidence::create)
        .get("/api/v1/evidence/{id}", api_evidence::show)
        .get("/api/v1/evidence/{id}/content", api_evidence::content)
        .get("/api/v1/ledger/checkpoint", api_ledger::checkpoint)
        .get("/api/v1/ledger/events", api_ledger::events)
        .get("/api/v1/me", me::show)
        .get("/api/v1/objectives", api_objectives::list)
        .post("/api/v1/objectives", api_objectives::create)
        .get("/api/v1/objectives/{id}", api_objectives::show)
        .patch("/api/v1/objectives/{id}", api_objectives::update)
        .get("/api/v1/objectives/{id}/measurements", api_measurements::list)
        .post("/api/v1/objectives/{id}/measurements", api_measurements::create)
        .post("/api/v1/objectives/{id}/measurements/{measurement_id}/withdraw", api_measurements::withdraw)
        .get("/api/v1/me/tasks", api_policy_versions::my_tasks)
        .post("/api/v1/people/import", api_people_import::import)
        .get("/api/v1/policies", api_policies::list)
        .post("/api/v1/policies", api_policies::create)
        .get("/api/v1/policies/{id}", api_policies::show)
        .patch("/api/v1/policies/{id}", api_policies::update)
        .get("/api/v1/policies/{id}/exceptions", api_policy_reviews::exceptions)
        .post("/api/v1/policies/{id}/exceptions", api_policy_reviews::request_exception)
        .post("/api/v1/policies/{id}/exceptions/{exception_id}/decision", api_policy_reviews::decide)
        .get("/api/v1/policies/{id}/reviews", api_policy_reviews::reviews)
        .post("/api/v1/policies/{id}/reviews", api_policy_reviews::record_review)
        .post("/api/v1/policies/{id}/versions", api_policy_versions::create)
        .get("/api/v1/policies/{id}/versions/{number}", api_policy_versions::show)
        .patch("/api/v1/policies/{id}/versions/{number}", api_policy_versions::update)
        .get("/api/v1/policies/{id}/versions/{number}/acknowledgements", api_policy_versions::acknowledgements)
        .post("/api/v1/policies/{id}/versions/{number}/acknowledgements", api_policy_versions::acknowledge)
        .post("/api/v1/policies/{id}/versions/{number}/campaigns", api_policy_versions::start_campaign)
        .post("/api/v1/policies/{id}/versions/{number}/steps", api_policies::step)
        .get("/api/v1/resources", api_resources::list)
        .post("/api/v1/resources", api_resources::create)
        .get("/api/v1/resources/settings", api_resources::settings)
        .patch("/api/v1/resources/settings", api_resources::change_settings)
        .get("/api/v1/resources/{id}", api_resources::show)
        .post("/api/v1/resources/{id}/approve", api_resource_actions::approve)
        .post("/api/v1/resources/{id}/refuse", api_resource_actions::refuse)
        .get("/api/v1/resources/{id}/entries", api_resource_actions::list_entries)
        .post("/api/v1/resources/{id}/entries", api_resource_actions::create_entry)
        .post("/api/v1/resources/{id}/close", api_resource_actions::close)
        .get("/api/v1/phishing", api_phishing::list)
        .post("/api/v1/phishing", api_phishing::create)
        .get("/api/v1/phishing/{id}", api_phishing::show)
        .get("/api/v1/phishing/{id}/results", api_phishing::results)
        .post_large(
            "/api/v1/phishing/{id}/results/import",
            api_phishing::import,
            crate::phishing::import::MAX_REQUEST_BYTES,
        )
        .get("/api/v1/leadership", api_leadership::index)
        .get("/api/v1/leadership/duties/{duty}", api_leadership::duty)
        .get("/api/v1/leadership/windows", api_leadership::windows)
        .patch("/api/v1/leadership/windows/{duty}", api_leadership::set_window)
        .get("/api/v1/involvement", api_involvement::list)
        .post("/api/v1/involvement", api_involvement::create)
        .get("/api/v1/involvement/{id}", api_involvement::show)
        .get("/api/v1/leadership/findings", api_findings::list)
        .post("/api/v1/leadership/findings/dismissals", api_findings::dismiss)
        .post("/api/v1/leadership/findings/dismissals/withdraw", api_findings::withdraw)
        .post("/api/v1/leadership/findings/actions", api_findings::act)
        .get("/api/v1/users", api_users::list)
        .post("/api/v1/users", api_users::create)
        .get("/api/v1/users/{id}", api_users::show)
        .patch("/api/v1/users/{id}", api_users::update)
        .get("/api/v1/tokens", api_tokens::list)
        .post("/api/v1/tokens", api_tokens::create)
        .delete("/api/v1/tokens/{id}", api_tokens::revoke)
        .get("/api/v1/roles", api_roles::list)
        .post("/api/v1/roles", api_roles::create)
        .get("/api/v1/roles/{id}", api_roles::show)
        .patch("/api/v1/roles/{id}", api_roles::update)
        .delete("/api/v1/roles/{id}", api_roles::delete)
        .get("/api/v1/appointments", api_appointments::list)
        .post("/api/v1/appointments", api_appointments::create)
        .get("/api/v1/appointments/{id}", api_appointments::show)
        .patch("/api/v1/appointments/{id}", api_appointments::update)
        .post("/api/v1/appointments/{id}/end", api_appointments::end)
        .get("/api/v1/raci", api_raci::show)
        .post("/api/v1/raci/processes", api_raci::create)
        .patch("/api/v1/raci/processes/{id}", api_raci::update)
        .get("/api/v1/meetings", api_meetings::list)
        .post("/api/v1/meetings", api_meetings::create)
        .get("/api/v1/meetings/{id}", api_meetings::show)
        .post("/api/v1/meetings/{id}/decisions", api_meetings::add_decision)
        .post("/api/v1/meetings/{id}/actions", api_actions::create)
        .get("/api/v1/decisions/{id}", api_meetings::show_decision)
        .get("/api/v1/actions", api_actions::list)
        .get("/api/v1/actions/follow-through", api_actions::follow_through)
        .get("/api/v1/actions/{id}", api_actions::show)
        .post("/api/v1/actions/{id}/close", api_actions::close)
        .post("/api/v1/actions/{id}/cancel", api_actions::cancel)
        .get("/api/v1/sod-conflicts", api_sod::conflicts)
        .get("/api/v1/sod-rules", api_sod::list_rules)
        .post("/api/v1/sod-rules", api_sod::create_rule)
        .patch("/api/v1/sod-rules/{id}", api_sod::update_rule)
        .get("/api/v1/reviews", api_reviews::list)
        .post("/api/v1/reviews", api_reviews::plan)
        .patch("/api/v1/reviews/schedule", api_reviews::set_schedule)
        .get("/api/v1/reviews/{id}", api_reviews::show)
        .post("/api/v1/reviews/{id}/open", api_reviews::open)
        .post("/api/v1/reviews/{id}/recompile", api_reviews::recompile)
        .post("/api/v1/reviews/{id}/complete", api_reviews::complete)
        .post("/api/v1/reviews/{id}/close", api_reviews::close)
        .patch("/api/v1/reviews/{id}/inputs/{key}", api_reviews::set_notes)
        .patch("/api/v1/reviews/{id}/attendance", api_reviews::set_attendance)
        .post("/api/v1/reviews/{id}/outputs", api_reviews::add_output)
        .get("/reviews", review_pages::list)
        .post("/reviews", review_pages::plan)
        .post("/reviews/schedule", review_pages::set_schedule)
        .get("/reviews/{id}", review_pages::show)
        .post("/reviews/{id}/open", review_pages::open)
        .post("/reviews/{id}/recompile", review_pages::recompile)
        .post("/reviews/{id}/complete", review_pages::complete)
        .post("/reviews/{id}/close", review_pages::close)
        .post("/reviews/{id}/notes", review_pages::notes)
        .post("/reviews/{id}/attendance", review_pages::attendance)
        .post("/reviews/{id}/outputs", review_pages::outputs)
        .get("/reviews/{id}/minutes", review_minutes::show)
}

/// The complete application: routes, access rules and the layers every response passes through.
pub fn router(state: AppState) -> Router {
    use axum::middleware::from_fn_with_state;
    routes()
        .router
        .route_layer(from_fn_with_state(state.clone(), auth::guard))
        .fallback(error::not_found)
        .layer(from_fn_with_state(state.clone(), body_limit))
        .layer(from_fn_with_state(state.clone(), headers::security_headers))
        .layer(axum::middleware::from_fn(headers::request_id))
        .with_state(state)
}

/// Bounds request bodies: 1 MiB everywhere but evidence uploads, which are bounded by the configured upload limit
/// while they stream to disk. Routes declared with `Routes::post_large` set their own limit, which wins.
async fn body_limit(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let upload = request.method() == Method::POST && matches!(path, "/evidence" | "/api/v1/evidence");
    let limit = if upload { state.config.max_upload_bytes as usize + 64 * 1024 } else { BODY_LIMIT };
    axum::extract::DefaultBodyLimit::max(limit).apply(&mut request);
    next.run(request).await
}

/// Listens on `listener` until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> anyhow::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
