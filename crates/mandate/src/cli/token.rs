//! `mandate token create|revoke`: API bearer tokens.

use super::fail;
use crate::accounts;
use crate::config::StoreArgs;
use crate::domain::ids::TokenId;
use crate::domain::role::Role;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Create a token; the token is printed as the last line (only its hash is stored).
    Create(CreateOpts),
    /// Revoke a token by id.
    Revoke(RevokeOpts),
}

#[derive(Debug, Args)]
pub struct CreateOpts {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
    /// The member the token acts for.
    #[arg(long, env = "MANDATE_EMAIL")]
    pub email: String,
    /// At most the member's role; the member's role when absent.
    #[arg(long, env = "MANDATE_ROLE")]
    pub role: Option<Role>,
    /// What the token is for.
    #[arg(long, env = "MANDATE_NAME", default_value = "command line")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct RevokeOpts {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
    #[arg(long)]
    pub id: i64,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    match opts.action {
        Action::Create(opts) => {
            let (db, journal) = super::open(&opts.store).await?;
            let org = accounts::org_by_slug(&db, &opts.org).await.map_err(fail)?;
            let member = accounts::member_by_email(&db, org.id, &opts.email).await.map_err(fail)?;
            let ctx = super::cli_ctx(&db, &journal);
            let (id, token) =
                accounts::create_token(&ctx, org.id, member.user_id, opts.role, &opts.name).await.map_err(fail)?;
            eprintln!("Created token {id} for {} in '{}'. It is shown only now:", member.email, org.slug);
            println!("{token}");
            db.close().await;
        }
        Action::Revoke(opts) => {
            let (db, journal) = super::open(&opts.store).await?;
            let org = accounts::org_by_slug(&db, &opts.org).await.map_err(fail)?;
            accounts::revoke_token(&super::cli_ctx(&db, &journal), org.id, TokenId(opts.id)).await.map_err(fail)?;
            println!("Revoked token {} in '{}'.", opts.id, org.slug);
            db.close().await;
        }
    }
    Ok(())
}
