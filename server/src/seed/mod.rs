//! `seed-demo`: a believable, fictional municipality to try Broar with. Every name
//! is invented; no real person appears. Running it twice changes nothing. One file
//! per concept seeds it; `run` puts them in order.

mod candidates;
mod consent;
mod firms;
mod forum;
mod needs;
mod rings;
mod tracks;

pub use candidates::bulk;

use app::auth::{
    entity::user,
    model::{Email, NewPassword, Role},
};
use app::db::Db;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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
    ("Anders Björk", "anders@bjorkdalen.test", Role::Employer),
];

/// Fills the database with demo data, printing what it does.
pub async fn run(db: &Db) -> anyhow::Result<()> {
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
        app::auth::accounts::ensure_account(db, name, &parsed, *role, &password)
            .await
            .map_err(|e| anyhow::anyhow!("could not add {email}: {e}"))?;
        println!("  account: {email} ({})", role.as_str());
    }
    println!("  every demo account has the password {DEMO_PASSWORD}");
    if firms::already_there(db).await? {
        println!("  firms and rings: already there");
    } else {
        let people = People::load(db).await?;
        let firm_ids = firms::demo(db, &people).await?;
        let ring_ids = rings::demo(db, &firm_ids, &people).await?;
        needs::demo(db, &ring_ids, &firm_ids, people.samir).await?;
        let writers = [
            people.per,
            people.leila,
            people.tove,
            people.anders,
            people.samir,
            people.johanna,
        ];
        forum::demo(db, &ring_ids, &writers).await?;
    }
    {
        use app::rings::entity::ring;
        use sea_orm::QueryOrder;
        let samir = user::Entity::find()
            .filter(user::Column::Email.eq("samir.haddad@ekdala.test"))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo account samir.haddad@ekdala.test missing"))?;
        let ring_ids: Vec<i32> = ring::Entity::find()
            .order_by_asc(ring::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        candidates::demo(db, samir.id, &ring_ids).await?;
        let coordinator = app::auth::SessionUser {
            id: samir.id,
            name: samir.name.clone(),
            email: samir.email.clone(),
            role: app::auth::model::Role::Coordinator,
            firm_id: None,
        };
        // Candidates were written in bulk: every server process loads its matching
        // facts again.
        app::candidates::ranking::invalidate(db)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        consent::demo(db, &coordinator, &ring_ids).await?;
        // The care ring (the second) runs the demo's job track.
        if let Some(care) = ring_ids.get(1) {
            tracks::demo(db, samir.id, *care).await?;
        }
    }
    Ok(())
}

/// The demo accounts' ids, by who they are.
#[derive(Debug, Clone, Copy)]
struct People {
    samir: i32,
    johanna: i32,
    per: i32,
    leila: i32,
    tove: i32,
    anders: i32,
}

impl People {
    async fn load(db: &Db) -> anyhow::Result<Self> {
        let account = |email: &'static str| async move {
            user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(db)
                .await?
                .map(|u| u.id)
                .ok_or_else(|| anyhow::anyhow!("demo account {email} missing"))
        };
        Ok(Self {
            samir: account("samir.haddad@ekdala.test").await?,
            johanna: account("johanna.berglund@ekdala.test").await?,
            per: account("per@ekholms-bygg.test").await?,
            leila: account("leila@storvik-omsorg.test").await?,
            tove: account("tove@cafe-nystrom.test").await?,
            anders: account("anders@bjorkdalen.test").await?,
        })
    }
}
