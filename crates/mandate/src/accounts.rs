//! Operations on organisations, people, memberships and tokens, shared by the CLI, the setup page, the demo,
//! the admin pages and the JSON API. Each runs in one transaction.

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::{self, Db, DbError, Tx};
use crate::domain::identity::{Email, Slug, display_name};
use crate::domain::ids::{OrgId, TokenId, UserId};
use crate::domain::password::{check_new_password, hash_password};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;
use crate::secret;

/// What it takes to create an organisation and its first administrator.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub slug: Option<String>,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// Checks a new organisation's fields and returns (name, slug, admin e-mail, admin name).
fn check_new_organisation(input: &NewOrganisation) -> Result<(String, Slug, Email, String), AppError> {
    let name = display_name(&input.name, "the organisation's name")?;
    let slug = match input.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => Slug::parse(slug)?,
        None => Slug::from_name(&name)?,
    };
    let email = Email::parse(&input.admin_email)?;
    let admin_name = match input.admin_name.trim() {
        "" => email.as_str().split('@').next().unwrap_or_default().to_string(),
        given => display_name(given, "the administrator's name")?,
    };
    Ok((name, slug, email, admin_name))
}

/// Creates an organisation and its first administrator in one transaction. When `setup_token_hash` is given,
/// the one-time setup token is consumed in the same transaction, so only one caller can claim an install.
pub async fn create_organisation(
    ctx: &Ctx<'_>,
    input: &NewOrganisation,
    setup_token_hash: Option<&str>,
) -> Result<(OrgId, UserId), AppError> {
    let now = ctx.now;
    let (name, slug, email, admin_name) = check_new_organisation(input)?;
    let mut tx = ctx.db.begin().await?;
    if let Some(hash) = setup_token_hash
        && !db::setup_token::consume(&mut tx.conn(), hash).await?
    {
        return Err(AppError::Forbidden(
            "this setup link has already been used or has expired; restart the server to print a new one".into(),
        ));
    }
    let existing = db::user::by_email(&mut tx.conn(), email.as_str()).await?;
    let password_hash = match existing {
        Some(_) => None,
        None => {
            check_new_password(&input.admin_password)?;
            Some(hash_password(&input.admin_password))
        }
    };
    let org = db::organisation::insert(&mut tx.conn(), slug.as_str(), &name, now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict(format!(
            "an organisation with the slug '{}' already exists; choose another slug",
            slug.as_str()
        )),
        other => other.into(),
    })?;
    let user = match existing {
        Some(user) => user.id,
        None => db::user::insert(&mut tx.conn(), email.as_str(), &admin_name, password_hash.as_deref(), now).await?,
    };
    let membership = db::membership::NewMembership { role: Role::Admin, expires_at: None, department: None };
    db::membership::insert(&mut tx.conn(), org, user, &membership, now).await?;
    ctx.journal.create_log(&mut tx, org, slug.as_str(), now).await?;
    let state = OrganisationState { slug: slug.as_str(), name: &name };
    ctx.journal.append(&mut tx, org, &ctx.actor, Change::of("create", "organisation", org, &state), now).await?;
    record_membership(ctx, &mut tx, org, user, "create").await?;
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", org = %org, slug = slug.as_str(), admin = email.as_str(), "organisation created");
    Ok((org, user))
}

/// A person to add to an organisation.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Used only when the identity is new; an existing identity keeps its own password.
    pub password: Option<String>,
    pub expires_at: Option<UnixTime>,
    /// The department the person works in, if known.
    pub department: Option<String>,
}

/// Adds a person to `org`, creating their identity if needed. Someone who already belongs to another
/// organisation keeps their own name and password.
pub async fn add_member(ctx: &Ctx<'_>, org: OrgId, input: &NewMember) -> Result<UserId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let user = add_member_in(ctx, &mut tx, org, input).await?;
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", org = %org, user = %user, role = %input.role, "member added");
    Ok(user)
}

/// Adds a person to `org` inside `tx` (imports and the demo add many people in one transaction).
pub async fn add_member_in(ctx: &Ctx<'_>, tx: &mut Tx, org: OrgId, input: &NewMember) -> Result<UserId, AppError> {
    let now = ctx.now;
    let email = Email::parse(&input.email)?;
    let name = display_name(&input.name, "the person's name")?;
    let department = match input.department.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(department) => Some(display_name(department, "the department")?),
        None => None,
    };
    if let Some(expiry) = input.expires_at
        && expiry <= now
    {
        return Err(AppError::Invalid("the access expiry must be in the future".into()));
    }
    let user = match db::user::by_email(&mut tx.conn(), email.as_str()).await? {
        Some(user) => user.id,
        None => {
            let hash = match input.password.as_deref().filter(|p| !p.is_empty()) {
                Some(password) => {
                    check_new_password(password)?;
                    Some(hash_password(password))
                }
                None => None,
            };
            db::user::insert(&mut tx.conn(), email.as_str(), &name, hash.as_deref(), now).await?
        }
    };
    let membership = db::membership::NewMembership { role: input.role, expires_at: input.expires_at, department };
    db::membership::insert(&mut tx.conn(), org, user, &membership, now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict(format!("{email} is already a member of this organisation")),
        other => other.into(),
    })?;
    record_membership(ctx, tx, org, user, "create").await?;
    Ok(user)
}

/// Moves a member of `org` to another department inside `tx`.
pub async fn change_department_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    department: Option<&str>,
) -> Result<(), AppError> {
    db::membership::set_department(&mut tx.conn(), org, user, department, ctx.now).await?;
    record_membership(ctx, tx, org, user, "update").await
}

/// A change to a membership; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MemberChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// `Some(None)` clears the expiry.
    pub expires_at: Option<Option<UnixTime>>,
}

/// Changes a member's role, expiry or disabled state. The last active administrator cannot be removed, and
/// disabling ends the person's sessions in the organisation.
pub async fn change_member(ctx: &Ctx<'_>, org: OrgId, user: UserId, change: &MemberChange) -> Result<(), AppError> {
    let now = ctx.now;
    let mut tx = ctx.db.begin().await?;
    let member = db::membership::get(&mut tx.conn(), org, user).await?.ok_or_else(|| AppError::not_found("member"))?;
    let role = change.role.unwrap_or(member.role());
    let disabled_at = match change.disabled {
        Some(true) => member.disabled_at.or(Some(now)),
        Some(false) => None,
        None => member.disabled_at,
    };
    let expires_at = change.expires_at.unwrap_or(member.expires_at);
    if let Some(expiry) = expires_at
        && expiry <= now
        && change.expires_at.is_some()
    {
        return Err(AppError::Invalid("the access expiry must be in the future".into()));
    }
    // An organisation always keeps one administrator whose access is neither disabled nor time-limited.
    let was_admin = member.disabled_at.is_none() && member.expires_at.is_none() && member.role() == Role::Admin;
    let stays_admin = role == Role::Admin && disabled_at.is_none() && expires_at.is_none();
    if was_admin && !stays_admin && db::membership::permanent_admins(&mut tx.conn(), org).await? <= 1 {
        return Err(AppError::Conflict(format!(
            "{} is the last administrator of this organisation; make someone else an administrator first",
            member.email
        )));
    }
    db::membership::update(&mut tx.conn(), org, user, role, expires_at, disabled_at, now).await?;
    if disabled_at.is_some() && member.disabled_at.is_none() {
        db::session::delete_for_member(&mut tx.conn(), org, user).await?;
    }
    record_membership(ctx, &mut tx, org, user, "update").await?;
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", org = %org, user = %user, role = %role, disabled = disabled_at.is_some(), "member changed");
    Ok(())
}

/// Creates an API token for a member, with their role or a narrower one. Returns the secret, shown once.
pub async fn create_token(
    ctx: &Ctx<'_>,
    org: OrgId,
    user: UserId,
    role: Option<Role>,
    name: &str,
) -> Result<(TokenId, String), AppError> {
    let now = ctx.now;
    let name = display_name(name, "the token's name")?;
    let mut tx = ctx.db.begin().await?;
    let member = db::membership::get(&mut tx.conn(), org, user)
        .await?
        .filter(|m| m.active(now))
        .ok_or_else(|| AppError::Invalid("tokens can only be made for active members of this organisation".into()))?;
    let role = role.unwrap_or(member.role());
    if !member.role().covers(role) {
        return Err(AppError::Forbidden(format!(
            "a token cannot grant more than its owner's role: {} is {}, which does not include {}",
            member.email,
            member.role().as_str(),
            role.as_str()
        )));
    }
    let token = secret::new_token("mdt_");
    let id = db::api_token::insert(&mut tx.conn(), org, user, &name, &secret::token_hash(&token), role.as_str(), now)
        .await?;
    let state = TokenState { owner: &member.email, name: &name, role: role.as_str(), revoked: false };
    ctx.journal.append(&mut tx, org, &ctx.actor, Change::of("create", "api_token", id, &state), now).await?;
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", org = %org, user = %user, token = %id, role = %role, "API token created");
    Ok((id, token))
}

/// Revokes a token of `org`.
pub async fn revoke_token(ctx: &Ctx<'_>, org: OrgId, id: TokenId) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let token = db::api_token::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("token"))?;
    if token.revoked_at.is_none() {
        db::api_token::revoke(&mut tx.conn(), org, id, ctx.now).await?;
        let state = TokenState { owner: &token.email, name: &token.name, role: &token.role, revoked: true };
        ctx.journal.append(&mut tx, org, &ctx.actor, Change::of("revoke", "api_token", id, &state), ctx.now).await?;
    }
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", org = %org, token = %id, "API token revoked");
    Ok(())
}

/// Looks up an organisation by slug for the commands.
pub async fn org_by_slug(db: &Db, slug: &str) -> Result<db::organisation::Organisation, AppError> {
    db::organisation::by_slug(&mut db.read().await?.conn(), slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no organisation with the slug '{slug}'")))
}

/// Looks up a member of `org` by e-mail address.
pub async fn member_by_email(db: &Db, org: OrgId, email: &str) -> Result<db::membership::Member, AppError> {
    let email = Email::parse(email)?;
    let mut c = db.read().await?;
    let user = db::user::by_email(&mut c.conn(), email.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{email} is not a member of this organisation")))?;
    db::membership::get(&mut c.conn(), org, user.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{email} is not a member of this organisation")))
}

/// An organisation's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct OrganisationState<'a> {
    slug: &'a str,
    name: &'a str,
}

/// A membership's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct MembershipState<'a> {
    user_id: UserId,
    email: &'a str,
    role: &'a str,
    expires_at: Option<UnixTime>,
    disabled_at: Option<UnixTime>,
    department: Option<&'a str>,
}

/// An API token's state as the ledger hashes it (never the secret or its hash).
#[derive(serde::Serialize)]
struct TokenState<'a> {
    owner: &'a str,
    name: &'a str,
    role: &'a str,
    revoked: bool,
}

/// Appends the membership's current state to the ledger.
async fn record_membership(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    action: &'static str,
) -> Result<(), AppError> {
    let member = db::membership::get(&mut tx.conn(), org, user).await?.ok_or_else(|| AppError::not_found("member"))?;
    let state = MembershipState {
        user_id: user,
        email: &member.email,
        role: &member.role,
        expires_at: member.expires_at,
        disabled_at: member.disabled_at,
        department: member.department.as_deref(),
    };
    let object_id = format!("{org}:{user}");
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "membership", object_id, &state), ctx.now).await?;
    Ok(())
}

/// Records a sign-in in the organisation's ledger.
pub async fn record_sign_in(ctx: &Ctx<'_>, tx: &mut Tx, org: OrgId, user: UserId) -> Result<(), AppError> {
    #[derive(serde::Serialize)]
    struct SignIn<'a> {
        user_id: UserId,
        email: &'a str,
    }
    let state = SignIn { user_id: user, email: &ctx.actor.name };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("sign_in", "session", user, &state), ctx.now).await?;
    Ok(())
}
