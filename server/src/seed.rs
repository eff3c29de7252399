//! `seed-demo`: a believable, fictional municipality to try Broar with. Every name
//! is invented; no real person appears. Running it twice changes nothing.

use app::auth::model::{Email, NewPassword, Role};
use sea_orm::DatabaseConnection;

/// The fictional municipalities. SCB codes start at 0114; 99xx are not in use,
/// so the demo can never be mistaken for a real municipality's data.
const MUNICIPALITIES: &[(&str, &str)] = &[("Ekdala kommun", "9901"), ("Storvik kommun", "9902")];

/// The password of every demo account (also in the README).
pub const DEMO_PASSWORD: &str = "Broar-demo-2026";

/// The demo accounts: (name, e-mail, role). `example.se`-style addresses on the
/// reserved `.test` domain, so no e-mail can reach a real person.
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    ("Alva Lindqvist", "admin@ekdala.test", Role::Admin),
    (
        "Samir Haddad",
        "samir.haddad@ekdala.test",
        Role::Coordinator,
    ),
    (
        "Johanna Berglund",
        "johanna.berglund@ekdala.test",
        Role::Coordinator,
    ),
    ("Per Ekholm", "per@ekholms-bygg.test", Role::Employer),
    ("Leila Moradi", "leila@storvik-omsorg.test", Role::Employer),
    ("Tove Nyström", "tove@cafe-nystrom.test", Role::Employer),
];

/// Fills the database with demo data, printing what it does.
pub async fn run(db: &DatabaseConnection) -> anyhow::Result<()> {
    for (name, code) in MUNICIPALITIES {
        app::municipality::service::ensure(db, name, code)
            .await
            .map_err(|e| anyhow::anyhow!("could not add {name}: {e}"))?;
        println!("  municipality: {name} ({code})");
    }
    let password =
        NewPassword::parse(DEMO_PASSWORD).map_err(|k| anyhow::anyhow!("demo password: {k}"))?;
    for (name, email, role) in DEMO_ACCOUNTS {
        let parsed = Email::parse(email).map_err(|k| anyhow::anyhow!("{email}: {k}"))?;
        app::auth::service::ensure_account(db, name, &parsed, *role, &password)
            .await
            .map_err(|e| anyhow::anyhow!("could not add {email}: {e}"))?;
        println!("  account: {email} ({})", role.as_str());
    }
    println!("  every demo account has the password {DEMO_PASSWORD}");
    Ok(())
}
