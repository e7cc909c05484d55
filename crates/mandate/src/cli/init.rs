//! `mandate init`: create an organisation and its first administrator (works while a server runs).

use super::{fail, secret_from_env_or_prompt};
use crate::accounts::{self, NewOrganisation};
use crate::config::StoreArgs;
use clap::Args;

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The organisation's name, e.g. "Northwind Logistics".
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
    /// Short name for URLs and commands; derived from the name when absent.
    #[arg(long, env = "MANDATE_SLUG")]
    pub slug: Option<String>,
    /// The first administrator's e-mail address.
    #[arg(long, env = "MANDATE_ADMIN_EMAIL")]
    pub admin_email: String,
    /// The first administrator's name; the part of the address before '@' when absent.
    #[arg(long, env = "MANDATE_ADMIN_NAME", default_value = "")]
    pub admin_name: String,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    let (db, journal) = super::open(&opts.store).await?;
    let password = secret_from_env_or_prompt("MANDATE_ADMIN_PASSWORD", "Administrator's password: ")?
        .ok_or_else(|| anyhow::anyhow!("set MANDATE_ADMIN_PASSWORD or run on a terminal to type the password"))?;
    let input = NewOrganisation {
        name: opts.org,
        slug: opts.slug,
        admin_email: opts.admin_email,
        admin_name: opts.admin_name,
        admin_password: password,
    };
    let (org, _) = accounts::create_organisation(&super::cli_ctx(&db, &journal), &input, None).await.map_err(fail)?;
    let created = crate::db::organisation::by_id(&mut db.read().await?.conn(), org).await?;
    let slug = created.map(|o| o.slug).unwrap_or_default();
    println!("Created organisation '{slug}' with administrator {}.", input.admin_email.trim().to_lowercase());
    db.close().await;
    Ok(())
}
