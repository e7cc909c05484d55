//! `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::http::error::{ErrorBody, ErrorDetail};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Mandate API", description = "Mandate's JSON API. Authenticate with 'Authorization: Bearer <token>' (create tokens with `mandate token create` or on the API tokens page). Errors are {\"error\":{\"code\",\"message\"}}."),
    paths(
        super::evidence::create,
        super::evidence::list,
        super::evidence::show,
        super::evidence::content,
        super::ledger::checkpoint,
        super::ledger::events,
        super::me::show,
        super::objectives::list,
        super::objectives::create,
        super::objectives::show,
        super::objectives::update,
        super::measurements::list,
        super::measurements::create,
        super::measurements::withdraw,
        super::policy_versions::my_tasks,
        super::policies::list,
        super::policies::create,
        super::policies::show,
        super::policies::update,
        super::policies::step,
        super::policy_versions::create,
        super::policy_versions::show,
        super::policy_versions::update,
        super::policy_versions::acknowledgements,
        super::policy_versions::acknowledge,
        super::policy_versions::start_campaign,
        super::policy_reviews::reviews,
        super::policy_reviews::record_review,
        super::policy_reviews::exceptions,
        super::policy_reviews::request_exception,
        super::policy_reviews::decide,
        super::people_import::import,
        super::resources::list,
        super::resources::create,
        super::resources::show,
        super::resources::settings,
        super::resources::change_settings,
        super::resource_actions::approve,
        super::resource_actions::refuse,
        super::resource_actions::list_entries,
        super::resource_actions::create_entry,
        super::resource_actions::close,
        super::users::list,
        super::users::create,
        super::users::show,
        super::users::update,
        super::tokens::list,
        super::tokens::create,
        super::tokens::revoke,
        super::roles::list,
        super::roles::create,
        super::roles::show,
        super::roles::update,
        super::roles::delete,
        super::appointments::list,
        super::appointments::create,
        super::appointments::show,
        super::appointments::update,
        super::appointments::end,
        super::raci::show,
        super::raci::create,
        super::raci::update,
        super::sod::conflicts,
        super::sod::list_rules,
        super::sod::create_rule,
        super::sod::update_rule,
        super::communication::list,
        super::communication::create,
        super::communication::show,
        super::communication::retire,
        super::communications::list,
        super::communications::create,
        super::training::list,
        super::training::create,
        super::training::show,
        super::training_completions::enrolments,
        super::training_completions::complete,
        super::training_completions::import,
        super::phishing::list,
        super::phishing::create,
        super::phishing::show,
        super::phishing::results,
        super::phishing::import,
        super::involvement::list,
        super::involvement::create,
        super::involvement::show,
        super::meetings::list,
        super::meetings::create,
        super::meetings::show,
        super::meetings::add_decision,
        super::meetings::show_decision,
        super::actions::list,
        super::actions::create,
        super::actions::show,
        super::actions::close,
        super::actions::cancel,
        super::actions::follow_through,
        super::reviews::list,
        super::reviews::set_schedule,
        super::reviews::plan,
        super::reviews::show,
        super::reviews::open,
        super::reviews::recompile,
        super::reviews::complete,
        super::reviews::close,
        super::reviews::set_notes,
        super::reviews::set_attendance,
        super::reviews::add_output,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as served.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
