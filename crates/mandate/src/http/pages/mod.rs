//! Server-rendered pages: one module per screen, one askama template per page struct.

pub mod action_pages;
pub mod admin_import;
pub mod admin_tokens;
pub mod admin_users;
pub mod appointment_detail;
pub mod appointments;
pub mod assets;
pub mod chart;
pub mod communication;
pub mod communication_plan;
pub mod communication_record;
pub mod decision_choice;
pub mod decision_page;
pub mod evidence;
pub mod findings;
pub mod home;
pub mod involvement;
pub mod involvement_form;
pub mod leadership;
pub mod leadership_chart;
pub mod leadership_windows;
pub mod ledger;
pub mod login;
pub mod measurements;
pub mod meeting_detail;
pub mod meeting_form;
pub mod meetings;
pub mod objective;
pub mod objective_form;
pub mod objectives;
pub mod orgs;
pub mod phishing;
pub mod phishing_chart;
pub mod phishing_form;
pub mod policies;
pub mod policy_step;
pub mod policy_version;
pub mod raci;
pub mod raci_process;
pub mod record_evidence;
pub mod resource_actions;
pub mod resource_detail;
pub mod resource_request;
pub mod resource_views;
pub mod resources;
pub mod review_minutes;
pub mod review_pages;
pub mod role_detail;
pub mod roles;
pub mod setup;
pub mod sod_rules;
pub mod training;
pub mod training_detail;

use super::auth::Principal;
use crate::domain::role::Role;

/// What the base layout needs: the page title, the highlighted section and the signed-in person.
pub struct Layout {
    pub title: String,
    pub section: &'static str,
    pub nav: Option<Nav>,
}

/// The navigation shown to a signed-in member: only what exists and what their role may open.
pub struct Nav {
    pub email: String,
    pub org_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub is_admin: bool,
    /// Whether the role may read the ledger and evidence (everyone but employees).
    pub sees_ledger: bool,
    pub several_orgs: bool,
}

impl Layout {
    /// A page for someone not signed in (sign-in, setup).
    pub fn public(title: &str) -> Self {
        Self { title: title.into(), section: "", nav: None }
    }

    /// A page for a signed-in member.
    pub fn member(title: &str, section: &'static str, principal: &Principal) -> Self {
        Self {
            title: title.into(),
            section,
            nav: Some(Nav {
                email: principal.email.clone(),
                org_name: principal.org_name.clone(),
                role_label: principal.role.label(),
                csrf: principal.csrf().to_string(),
                is_admin: principal.role == Role::Admin,
                sees_ledger: crate::http::access::LEDGER_READERS.contains(&principal.role),
                several_orgs: false,
            }),
        }
    }

    /// Marks that the person can switch to another organisation.
    pub fn with_several_orgs(mut self, several: bool) -> Self {
        if let Some(nav) = self.nav.as_mut() {
            nav.several_orgs = several;
        }
        self
    }
}

/// Role values and labels for `<select>` elements.
pub fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}
