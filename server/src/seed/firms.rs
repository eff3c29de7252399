//! Demo firms, the employers' links to them, and the coordinators' contact history.

use app::db::Db;
use app::{
    auth::entity::user,
    firms::entity::{firm, outreach},
};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::People;

/// A fictional organisation number: nine digits and the Luhn check digit.
fn org_number(first_nine: &str) -> String {
    format!(
        "{first_nine}{}",
        app::firms::model::luhn_check_digit(first_nine)
    )
}

/// Demo firms: (name, first nine digits, employees, SNI section, address, contact).
const FIRMS: &[(&str, &str, i32, &str, &str, &str)] = &[
    (
        "Ekholms Bygg AB",
        "559900101",
        18,
        "F",
        "Verkstadsgatan 4, Ekdala",
        "Per Ekholm",
    ),
    (
        "Storvik Omsorg AB",
        "559900102",
        42,
        "Q",
        "Vårdvägen 12, Storvik",
        "Leila Moradi",
    ),
    (
        "Café Nyström HB",
        "969900103",
        6,
        "I",
        "Torget 2, Ekdala",
        "Tove Nyström",
    ),
    (
        "Lindqvist Logistik AB",
        "559900104",
        65,
        "H",
        "Terminalvägen 9, Ekdala",
        "Henrik Lindqvist",
    ),
    (
        "Ekdala Städservice AB",
        "559900105",
        24,
        "N",
        "Industrigatan 17, Ekdala",
        "Marija Kovač",
    ),
    (
        "Björkdalens Vårdhem AB",
        "559900106",
        120,
        "Q",
        "Björkdalen 1, Storvik",
        "Anders Björk",
    ),
    (
        "Sjöbergs Mekaniska AB",
        "559900107",
        38,
        "C",
        "Smedjegatan 3, Ekdala",
        "Lena Sjöberg",
    ),
    (
        "Restaurang Hamnkrogen AB",
        "559900108",
        14,
        "I",
        "Hamnen 5, Storvik",
        "Yusuf Demir",
    ),
    (
        "Ekdala Data & IT-konsult AB",
        "559900109",
        9,
        "J",
        "Kunskapsgatan 8, Ekdala",
        "Sara Ahmadi",
    ),
    (
        "Norrby Fastighetsservice AB",
        "559900110",
        31,
        "N",
        "Norrbyvägen 21, Ekdala",
        "Mats Norrby",
    ),
    (
        "Ekdala Energi AB",
        "559900111",
        310,
        "D",
        "Kraftvägen 1, Ekdala",
        "Eva Holm",
    ),
    (
        "Grönt & Gott Handelsträdgård",
        "969900112",
        7,
        "A",
        "Åkervägen 30, Storvik",
        "Nils Grön",
    ),
];

/// A logged contact: (firm index, days ago, channel, coordinator, outcome, note, next
/// step, next step due in days).
type Contact = (
    usize,
    i64,
    &'static str,
    i32,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
);

/// Whether the demo firms are there already (then the firms, rings, needs and
/// discussions are not seeded again).
pub(super) async fn already_there(db: &Db) -> anyhow::Result<bool> {
    Ok(firm::Entity::find()
        .filter(firm::Column::OrgNumber.eq(org_number(FIRMS[0].1)))
        .one(db)
        .await?
        .is_some())
}

/// The firms (returns their ids in the order of `FIRMS`), the employers' firms, and
/// the outreach history.
pub(super) async fn demo(db: &Db, people: &People) -> anyhow::Result<Vec<i32>> {
    let People { samir, johanna, .. } = *people;
    let municipalities: Vec<i32> = app::municipality::entity::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let now = Utc::now();
    let mut firm_ids = Vec::new();
    for (i, (name, nine, employees, sni, address, contact)) in FIRMS.iter().enumerate() {
        let slug: String = name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect();
        let row = firm::ActiveModel {
            name: Set((*name).to_owned()),
            org_number: Set(org_number(nine)),
            employees: Set(*employees),
            sni_section: Set((*sni).to_owned()),
            address: Set((*address).to_owned()),
            municipality_id: Set(if address.ends_with("Storvik") {
                municipalities.get(1).copied()
            } else {
                municipalities.first().copied()
            }),
            contact_name: Set((*contact).to_owned()),
            contact_email: Set(format!("kontakt@{slug}.test")),
            contact_phone: Set(format!("0123-45 {:02} {:02}", 10 + i, 20 + i)),
            created_by: Set(Some(samir)),
            created_at: Set(now - Duration::days(200)),
            updated_at: Set(now - Duration::days(200)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        firm_ids.push(row.id);
    }
    println!("  firms: {}", firm_ids.len());
    for (email, index) in [
        ("per@ekholms-bygg.test", 0),
        ("leila@storvik-omsorg.test", 1),
        ("tove@cafe-nystrom.test", 2),
        ("anders@bjorkdalen.test", 5),
    ] {
        user::Entity::update_many()
            .col_expr(
                user::Column::FirmId,
                sea_orm::sea_query::Expr::value(firm_ids[index]),
            )
            .filter(user::Column::Email.eq(email))
            .exec(db)
            .await?;
    }
    // Outreach: (firm, days ago, channel, coordinator, outcome, note, next step, due in days).
    let today = app::i18n::today();
    let contacts: &[Contact] = &[
        (
            0,
            190,
            "visit",
            samir,
            "interested",
            "Träffade Per på företagsfrukosten; vill veta mer om praktik.",
            "",
            None,
        ),
        (
            0,
            175,
            "phone",
            samir,
            "has_needs",
            "Behöver två snickare och en lärling till våren.",
            "",
            None,
        ),
        (
            1,
            160,
            "visit",
            johanna,
            "has_needs",
            "Stor brist på undersköterskor, särskilt helger.",
            "",
            None,
        ),
        (
            2,
            150,
            "event",
            samir,
            "joined_ring",
            "Gick med i servicringen efter träffen på torget.",
            "",
            None,
        ),
        (
            3,
            140,
            "phone",
            samir,
            "interested",
            "Vill ha lagerarbetare med truckkort.",
            "Skicka information om truckutbildning",
            Some(-3),
        ),
        (
            4,
            120,
            "email",
            johanna,
            "has_needs",
            "Söker lokalvårdare, svenska på grundnivå räcker.",
            "",
            None,
        ),
        (
            6,
            90,
            "visit",
            samir,
            "has_needs",
            "CNC-operatörer; kan ta praktikant först.",
            "Boka ringträff med verkstadschefen",
            Some(2),
        ),
        (
            7,
            60,
            "phone",
            samir,
            "interested",
            "Köket behöver diskare och kallskänka.",
            "",
            None,
        ),
        (
            8,
            45,
            "email",
            samir,
            "not_now",
            "Inga behov i år, hör av er efter sommaren.",
            "Ring igen",
            Some(5),
        ),
        (
            9,
            30,
            "visit",
            johanna,
            "has_needs",
            "Fastighetsskötare med B-körkort.",
            "",
            None,
        ),
        (
            10,
            20,
            "phone",
            samir,
            "declined",
            "Rekryterar via bemanningsföretag.",
            "",
            None,
        ),
        (
            11,
            10,
            "visit",
            johanna,
            "interested",
            "Säsongsarbete i växthusen från april.",
            "Skicka inbjudan till ringträffen",
            Some(14),
        ),
        (
            5,
            8,
            "phone",
            johanna,
            "no_answer",
            "",
            "Försök igen",
            Some(-1),
        ),
    ];
    for (firm, days_ago, channel, who, outcome, note, next, due) in contacts {
        let on = today - Duration::days(*days_ago);
        outreach::ActiveModel {
            firm_id: Set(firm_ids[*firm]),
            contacted_on: Set(on),
            channel: Set((*channel).to_owned()),
            coordinator_id: Set(*who),
            outcome: Set((*outcome).to_owned()),
            note: Set((*note).to_owned()),
            next_step: Set((*next).to_owned()),
            next_step_on: Set(due.map(|d| today + Duration::days(d))),
            followed_up_at: Set(None),
            created_at: Set(now - Duration::days(*days_ago)),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    println!("  outreach contacts: {}", contacts.len());
    Ok(firm_ids)
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_organisation_numbers_pass_the_check() {
        for (_, nine, ..) in super::FIRMS {
            let org = super::org_number(nine);
            assert!(app::firms::model::OrgNumber::parse(&org).is_ok(), "{org}");
        }
    }
}
