//! Demo needs: open, filled and closed needs in every ring, one recent.

use app::db::Db;

/// A demo need: (ring, firm, SSYK, title, positions, start in days, employment form,
/// status, internship first, Swedish level, licence, suggested training, description).
type NeedSeed = (
    usize,
    usize,
    &'static str,
    &'static str,
    i32,
    i64,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const NEEDS: &[NeedSeed] = &[
    (
        0,
        0,
        "7111",
        "Snickare till flerbostadshus",
        2,
        30,
        "fixed_term",
        "open",
        true,
        "A2",
        "B",
        "",
        "Stomme och inredning i två flerbostadshus i centrala Ekdala. Arbetslaget har en handledare som talar arabiska.",
    ),
    (
        0,
        0,
        "7111",
        "Lärling, bygg",
        1,
        14,
        "internship",
        "open",
        true,
        "SFI-C",
        "",
        "Arbetsmiljö och säkerhet på bygget (BAM light)",
        "Praktik med handledare, med möjlighet till introduktionsjobb efter tre månader.",
    ),
    (
        0,
        6,
        "8121",
        "Maskinoperatör, ytbehandling",
        1,
        45,
        "introduction",
        "open",
        true,
        "SFI-D",
        "",
        "Truckkort A+B",
        "Skiftarbete i lackeringen. Vi lär upp på plats.",
    ),
    (
        0,
        6,
        "4322",
        "Lagerarbetare",
        2,
        25,
        "new_start",
        "open",
        false,
        "A2",
        "",
        "Truckkort A+B",
        "Plock och packning, dagtid.",
    ),
    (
        0,
        9,
        "9111",
        "Lokalvårdare, kontor",
        1,
        -60,
        "permanent",
        "filled",
        false,
        "A2",
        "B",
        "",
        "Kvällsstädning av kontor i Ekdala.",
    ),
    (
        1,
        1,
        "5321",
        "Undersköterskor till hemtjänsten",
        3,
        21,
        "permanent",
        "open",
        true,
        "B1",
        "B",
        "Kort undersköterskeutbildning (validering)",
        "Hemtjänst i Storvik med bil. Introduktion två veckor med handledare.",
    ),
    (
        1,
        5,
        "5330",
        "Vårdbiträden, sommar",
        4,
        60,
        "fixed_term",
        "open",
        true,
        "A2",
        "",
        "Basal hygien i vård och omsorg",
        "Sommarvikariat på vårdhemmet.",
    ),
    (
        1,
        5,
        "5321",
        "Undersköterska, natt",
        1,
        -40,
        "permanent",
        "filled",
        false,
        "B1",
        "",
        "",
        "Nattpatrull, tre nätter i veckan.",
    ),
    (
        1,
        4,
        "9111",
        "Städare, vårdlokaler",
        2,
        10,
        "new_start",
        "open",
        false,
        "SFI-C",
        "",
        "Hygienutbildning för städ i vårdmiljö",
        "Städ på vårdhem och i hemtjänstens lokaler.",
    ),
    (
        2,
        2,
        "9412",
        "Köksbiträde",
        1,
        7,
        "introduction",
        "open",
        true,
        "SFI-B",
        "",
        "Livsmedelshygien",
        "Disk, förberedelser och servering i kaféet.",
    ),
    (
        2,
        7,
        "5120",
        "Kock till lunchrestaurang",
        2,
        14,
        "permanent",
        "open",
        false,
        "A2",
        "",
        "Livsmedelshygien",
        "Lunch för 120 gäster, vardagar.",
    ),
    (
        2,
        7,
        "5131",
        "Servitör, helger",
        1,
        -20,
        "fixed_term",
        "closed",
        false,
        "B1",
        "",
        "",
        "Helgtjänstgöring i restaurangen; tillsattes internt.",
    ),
    (
        2,
        8,
        "2512",
        "Junior systemutvecklare",
        1,
        90,
        "internship",
        "draft",
        true,
        "B1",
        "",
        "",
        "Webbutveckling; engelska fungerar i teamet.",
    ),
];

/// Recruitment needs across occupations, some filled, closed or still drafts.
pub(super) async fn demo(
    db: &Db,
    ring_ids: &[i32],
    firm_ids: &[i32],
    by: i32,
) -> anyhow::Result<()> {
    use app::needs::entity::{event, need};
    use chrono::{Duration, Utc};
    use sea_orm::{ActiveModelTrait, Set};

    let today = app::i18n::today();
    let now = Utc::now();
    for (
        k,
        (
            ring,
            firm,
            code,
            title,
            positions,
            start,
            form,
            status,
            first,
            swedish,
            licence,
            training,
            description,
        ),
    ) in NEEDS.iter().enumerate()
    {
        // The last open one is recent, so the demo's digests have a new need to tell.
        let posted = if Some(k) == NEEDS.iter().rposition(|n| n.7 == "open") {
            now - Duration::days(3)
        } else {
            now - Duration::days(90 - 5 * k as i64)
        };
        let n = need::ActiveModel {
            ring_id: Set(ring_ids[*ring]),
            firm_id: Set(firm_ids[*firm]),
            occupation_code: Set((*code).to_owned()),
            title: Set((*title).to_owned()),
            description: Set((*description).to_owned()),
            positions: Set(*positions),
            required_skills: Set(String::new()),
            merit_skills: Set(String::new()),
            swedish_level: Set((*swedish).to_owned()),
            other_languages: Set(String::new()),
            driving_licence: Set((*licence).to_owned()),
            start_date: Set(today + Duration::days(*start)),
            employment_form: Set((*form).to_owned()),
            internship_first: Set(*first),
            suggested_training: Set((*training).to_owned()),
            status: Set((*status).to_owned()),
            created_by: Set(by),
            created_at: Set(posted),
            updated_at: Set(posted),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let mut steps = vec![(
            posted,
            "created",
            if *status == "draft" { "draft" } else { "open" },
        )];
        if matches!(*status, "filled" | "closed") {
            let changed = (posted + Duration::days(30)).min(now - Duration::days(1));
            steps.push((changed, "status", status));
        }
        for (at, action, detail) in steps {
            event::ActiveModel {
                need_id: Set(n.id),
                at: Set(at),
                actor_id: Set(Some(by)),
                actor_name: Set("Samir Haddad".to_owned()),
                action: Set(action.to_owned()),
                detail: Set(detail.to_owned()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    println!("  recruitment needs: {}", NEEDS.len());
    Ok(())
}
