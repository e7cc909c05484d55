//! The demo installation: organisation `demo` ("Northwind Logistics", about 250 staff) with one named person per
//! role and a year of history in every register, imperfections included, so every screen and detector has
//! something real to show. The same builder, scaled, makes the benchmark organisations (`mandate demo generate`).
//!
//! Each register has a seeder `demo::<register>::seed(ctx, &mut tx, &demo, &mut rng)`, called by [`build`] in
//! one transaction; it dates its records with [`DemoOrg::ctx`] (who acted, when) between `demo.start` and
//! `demo.now`, in time order, and creates `demo.scale` times as many records as for the demo itself.

pub mod communication;
pub mod decision_links;
pub mod involvement;
pub mod meetings;
pub mod objectives;
pub mod people;
pub mod phishing;
pub mod policies;
pub mod resources;
pub mod review;
pub mod roles;

use crate::accounts::{self, NewMember, NewOrganisation};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::password::check_new_password;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Actor;
use std::collections::HashMap;

/// The named people: (local part of the e-mail, name, role). The first is the administrator.
pub const PEOPLE: &[(&str, &str, Role)] = &[
    ("admin", "Alex Admin", Role::Admin),
    ("ciso", "Priya Raman", Role::IsmsManager),
    ("ceo", "Martin Okafor", Role::TopManagement),
    ("cfo", "Sofia Lindqvist", Role::TopManagement),
    ("auditor", "Jonas Weber", Role::Auditor),
    ("employee", "Emma Novak", Role::Employee),
];

const DAY: i64 = 86_400;

/// A demo organisation being built: who is who, how large, and the span of its history. Each register's seeder
/// receives it and adds its records inside the transaction it is given.
pub struct DemoOrg {
    pub org: OrgId,
    /// The e-mail domain of its people (`demo.example`).
    pub domain: String,
    pub admin: UserId,
    pub ciso: UserId,
    pub ceo: UserId,
    pub cfo: UserId,
    pub auditor: UserId,
    pub employee: UserId,
    /// Every member, the named people first.
    pub staff: Vec<UserId>,
    /// 1 is the demo's size; sizes grow linearly with it.
    pub scale: u32,
    /// When the organisation was set up (its first ledger event).
    pub founded: UnixTime,
    /// When the year of record history begins.
    pub start: UnixTime,
    /// The present: no record is dated after it.
    pub now: UnixTime,
    people: HashMap<UserId, (String, Role)>,
}

impl DemoOrg {
    /// The context of a change `who` made at `at`, as the ledger will record it.
    pub fn ctx<'a>(&self, base: &Ctx<'a>, who: UserId, at: UnixTime) -> Ctx<'a> {
        let (name, role) = self.people.get(&who).cloned().unwrap_or_else(|| ("system".into(), Role::Admin));
        let actor = Actor { name, role: role.as_str().into(), request_id: format!("demo-{at:x}-{who}") };
        Ctx { db: base.db, journal: base.journal, actor, now: at }
    }

    /// A day of the history, `days` after its start, at a working hour.
    pub fn day(&self, days: i64) -> UnixTime {
        self.start + days * DAY + 9 * 3600
    }

    fn add_person(&mut self, user: UserId, email: String, role: Role) {
        self.staff.push(user);
        self.people.insert(user, (email, role));
    }
}

/// Creates the demo organisation and prints how to sign in. The password is `MANDATE_DEMO_PASSWORD` when
/// set, otherwise a random one printed once.
pub async fn create(ctx: &Ctx<'_>) -> anyhow::Result<()> {
    let (password, generated) = match std::env::var("MANDATE_DEMO_PASSWORD") {
        Ok(password) => {
            check_new_password(&password).map_err(|e| anyhow::anyhow!("MANDATE_DEMO_PASSWORD: {e}"))?;
            (password, false)
        }
        Err(_) => (crate::secret::new_token("demo-")[..21].to_string(), true),
    };
    let demo = build(ctx, "Northwind Logistics", "demo", 1, &password).await.map_err(crate::cli::fail)?;
    println!(
        "Demo organisation 'Northwind Logistics' (slug: demo, {} people) is ready. Sign in as any of:",
        demo.staff.len()
    );
    for (local, _, role) in PEOPLE {
        println!("  {:<24} {}", format!("{local}@{}", demo.domain), role.label());
    }
    if generated {
        println!("Password for all demo users (shown only now): {password}");
    } else {
        println!("Password: the value of MANDATE_DEMO_PASSWORD");
    }
    Ok(())
}

/// Builds an organisation of `scale` × the demo's size with a year of history ending at `ctx.now`. The named
/// people sign in with `password`; the other staff have none until an administrator sets one.
pub async fn build(ctx: &Ctx<'_>, name: &str, slug: &str, scale: u32, password: &str) -> Result<DemoOrg, AppError> {
    let now = ctx.now;
    let founded = now - 400 * DAY;
    let domain = format!("{slug}.example");
    let (admin_local, admin_name, _) = PEOPLE[0];
    let input = NewOrganisation {
        name: name.into(),
        slug: Some(slug.into()),
        admin_email: format!("{admin_local}@{domain}"),
        admin_name: admin_name.into(),
        admin_password: password.into(),
    };
    let setup = Ctx { db: ctx.db, journal: ctx.journal, actor: ctx.actor.clone(), now: founded };
    let (org, admin) = accounts::create_organisation(&setup, &input, None).await?;
    let mut demo = DemoOrg {
        org,
        domain,
        admin,
        ciso: admin,
        ceo: admin,
        cfo: admin,
        auditor: admin,
        employee: admin,
        staff: Vec::new(),
        scale: scale.max(1),
        founded,
        start: now - 365 * DAY,
        now,
        people: HashMap::new(),
    };
    demo.add_person(admin, input.admin_email.clone(), Role::Admin);
    let mut rng = fastrand::Rng::with_seed(u64::from(scale) * 7919 + 27001);
    let mut tx = ctx.db.begin().await?;
    for (i, (local, name, role)) in PEOPLE.iter().enumerate().skip(1) {
        let member = NewMember {
            email: format!("{local}@{}", demo.domain),
            name: (*name).into(),
            role: *role,
            password: Some(password.into()),
            expires_at: None,
            department: Some(if *role == Role::Employee { "Warehouse" } else { "Management" }.into()),
        };
        let user =
            accounts::add_member_in(&demo.ctx(ctx, admin, founded + i as i64 * 60), &mut tx, org, &member).await?;
        demo.add_person(user, member.email, *role);
        match *local {
            "ciso" => demo.ciso = user,
            "ceo" => demo.ceo = user,
            "cfo" => demo.cfo = user,
            "auditor" => demo.auditor = user,
            _ => demo.employee = user,
        }
    }
    // People and every register's history commit together: a failure leaves no half-built organisation behind
    // (only the organisation itself, whose creation is its own transaction).
    people::seed(ctx, &mut tx, &mut demo, &mut rng).await?;
    policies::seed(ctx, &mut tx, &demo, &mut rng).await?;
    policies::seed_governance(ctx, &mut tx, &demo).await?;
    roles::seed(ctx, &mut tx, &demo, &mut rng).await?;
    resources::seed(ctx, &mut tx, &demo, &mut rng).await?;
    objectives::seed(ctx, &mut tx, &demo, &mut rng).await?;
    communication::seed(ctx, &mut tx, &demo, &mut rng).await?;
    let simulations = phishing::seed(ctx, &mut tx, &demo, &mut rng).await?;
    involvement::seed(ctx, &mut tx, &demo, &simulations).await?;
    meetings::seed(ctx, &mut tx, &demo, &mut rng).await?;
    review::seed(ctx, &mut tx, &demo).await?;
    tx.commit().await?;
    Ok(demo)
}
