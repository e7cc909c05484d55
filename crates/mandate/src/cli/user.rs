//! `mandate user add|disable|list`: manage people in an organisation.

use super::{fail, secret_from_env_or_prompt};
use crate::accounts::{self, MemberChange, NewMember};
use crate::clock::{Clock, SystemClock, format_utc, parse_time};
use crate::config::StoreArgs;
use crate::db::{self, Db};
use crate::domain::role::Role;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Add a person to an organisation (password from MANDATE_USER_PASSWORD or a prompt).
    Add(AddOpts),
    /// End a person's access to an organisation; their sessions end at once.
    Disable(MemberOpts),
    /// List the members of an organisation.
    List(ListOpts),
}

#[derive(Debug, Args)]
pub struct AddOpts {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The organisation's slug.
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
    #[arg(long, env = "MANDATE_EMAIL")]
    pub email: String,
    /// admin, isms_manager, top_management, auditor or employee.
    #[arg(long, env = "MANDATE_ROLE")]
    pub role: Role,
    /// The person's name; the part of the address before '@' when absent.
    #[arg(long, env = "MANDATE_NAME")]
    pub name: Option<String>,
    /// Date (YYYY-MM-DD) after which access ends, e.g. for an external auditor.
    #[arg(long, env = "MANDATE_EXPIRES")]
    pub expires: Option<String>,
    /// The department the person works in.
    #[arg(long, env = "MANDATE_DEPARTMENT")]
    pub department: Option<String>,
}

#[derive(Debug, Args)]
pub struct MemberOpts {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
    #[arg(long, env = "MANDATE_EMAIL")]
    pub email: String,
}

#[derive(Debug, Args)]
pub struct ListOpts {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    match opts.action {
        Action::Add(opts) => add(opts).await,
        Action::Disable(opts) => disable(opts).await,
        Action::List(opts) => list(opts).await,
    }
}

async fn add(opts: AddOpts) -> anyhow::Result<()> {
    let (db, journal) = super::open(&opts.store).await?;
    let org = accounts::org_by_slug(&db, &opts.org).await.map_err(fail)?;
    let expires_at = match opts.expires.as_deref() {
        Some(text) => Some(
            parse_time(text).ok_or_else(|| anyhow::anyhow!("--expires '{text}' is not a date (YYYY-MM-DD)"))? + 86_399,
        ),
        None => None,
    };
    let password = secret_from_env_or_prompt("MANDATE_USER_PASSWORD", "Password (empty for none yet): ")?;
    let name = opts.name.unwrap_or_else(|| opts.email.split('@').next().unwrap_or_default().to_string());
    let department = opts.department.clone();
    let input = NewMember { email: opts.email.clone(), name, role: opts.role, password, expires_at, department };
    accounts::add_member(&super::cli_ctx(&db, &journal), org.id, &input).await.map_err(fail)?;
    println!("Added {} to '{}' as {}.", opts.email.trim().to_lowercase(), org.slug, opts.role);
    db.close().await;
    Ok(())
}

async fn disable(opts: MemberOpts) -> anyhow::Result<()> {
    let (db, journal) = super::open(&opts.store).await?;
    let org = accounts::org_by_slug(&db, &opts.org).await.map_err(fail)?;
    let member = accounts::member_by_email(&db, org.id, &opts.email).await.map_err(fail)?;
    let change = MemberChange { disabled: Some(true), ..MemberChange::default() };
    accounts::change_member(&super::cli_ctx(&db, &journal), org.id, member.user_id, &change).await.map_err(fail)?;
    println!("Disabled {} in '{}'; their sessions have ended.", member.email, org.slug);
    db.close().await;
    Ok(())
}

async fn list(opts: ListOpts) -> anyhow::Result<()> {
    let db = Db::open(&opts.store.data_dir, opts.store.database_url.as_deref()).await?;
    let org = accounts::org_by_slug(&db, &opts.org).await.map_err(fail)?;
    let now = SystemClock.now();
    let page = db::membership::list(&mut db.read().await?.conn(), org.id, "", i64::MAX, 0).await?;
    for m in page.members {
        let status = if m.disabled_at.is_some() {
            "disabled"
        } else if m.active(now) {
            "active"
        } else {
            "expired"
        };
        let expiry = m.expires_at.map(|t| format!(" until {}", format_utc(t))).unwrap_or_default();
        println!("{}\t{}\t{}\t{status}{expiry}", m.email, m.role(), m.name);
    }
    db.close().await;
    Ok(())
}
