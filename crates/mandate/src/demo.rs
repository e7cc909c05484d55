//! The demo installation: organisation `demo` ("Northwind Logistics") with one person per role.

use crate::accounts::{self, NewMember, NewOrganisation};
use crate::context::Ctx;
use crate::domain::password::check_new_password;
use crate::domain::role::Role;

/// The demo's people: (e-mail, name, role). The first is the administrator.
pub const PEOPLE: &[(&str, &str, Role)] = &[
    ("admin@demo.example", "Alex Admin", Role::Admin),
    ("ciso@demo.example", "Priya Raman", Role::IsmsManager),
    ("ceo@demo.example", "Martin Okafor", Role::TopManagement),
    ("cfo@demo.example", "Sofia Lindqvist", Role::TopManagement),
    ("auditor@demo.example", "Jonas Weber", Role::Auditor),
    ("employee@demo.example", "Emma Novak", Role::Employee),
];

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
    let (admin_email, admin_name, _) = PEOPLE[0];
    let input = NewOrganisation {
        name: "Northwind Logistics".into(),
        slug: Some("demo".into()),
        admin_email: admin_email.into(),
        admin_name: admin_name.into(),
        admin_password: password.clone(),
    };
    let (org, _) = accounts::create_organisation(ctx, &input, None).await.map_err(crate::cli::fail)?;
    for (email, name, role) in &PEOPLE[1..] {
        let member = NewMember {
            email: (*email).into(),
            name: (*name).into(),
            role: *role,
            password: Some(password.clone()),
            expires_at: None,
        };
        accounts::add_member(ctx, org, &member).await.map_err(crate::cli::fail)?;
    }
    println!("Demo organisation 'Northwind Logistics' (slug: demo) is ready. Sign in as any of:");
    for (email, _, role) in PEOPLE {
        println!("  {email:<24} {}", role.label());
    }
    if generated {
        println!("Password for all demo users (shown only now): {password}");
    } else {
        println!("Password: the value of MANDATE_DEMO_PASSWORD");
    }
    Ok(())
}
