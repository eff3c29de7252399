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
    ("Anders Björk", "anders@bjorkdalen.test", Role::Employer),
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
    rings(db).await?;
    {
        use app::{auth::entity::user, rings::entity::ring};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
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
        crate::seed_candidates::demo(db, samir.id, &ring_ids).await?;
        let coordinator = app::auth::SessionUser {
            id: samir.id,
            name: samir.name.clone(),
            email: samir.email.clone(),
            role: app::auth::model::Role::Coordinator,
            firm_id: None,
        };
        crate::seed_consent::demo(db, &coordinator, &ring_ids).await?;
    }
    Ok(())
}

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

/// A ring: (name, description, sector focus, host, member firm indexes).
type RingSeed = (
    &'static str,
    &'static str,
    Option<&'static str>,
    i32,
    &'static [usize],
);

/// Firms, outreach history, three rings with history, invitations in every state
/// and meetings before and after today. Skipped when the demo firms exist.
async fn rings(db: &DatabaseConnection) -> anyhow::Result<()> {
    use app::{
        auth::entity::user,
        firms::entity::{firm, outreach},
        rings::entity::{invitation, meeting, membership, response, ring},
    };
    use chrono::{Duration, NaiveTime, Utc};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

    let first = org_number(FIRMS[0].1);
    if firm::Entity::find()
        .filter(firm::Column::OrgNumber.eq(&first))
        .one(db)
        .await?
        .is_some()
    {
        println!("  firms and rings: already there");
        return Ok(());
    }
    let account = |email: &'static str| async move {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(db)
            .await?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("demo account {email} missing"))
    };
    let samir = account("samir.haddad@ekdala.test").await?;
    let johanna = account("johanna.berglund@ekdala.test").await?;
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
    // Rings: (name, description, focus, host, members).
    let rings: [RingSeed; 3] = [
        (
            "Bygg och industri Ekdala",
            "Byggföretag och verkstäder som delar på praktikplatser och introduktionsjobb. Vi träffas en gång i månaden.",
            Some("F"),
            samir,
            &[0, 6, 9],
        ),
        (
            "Vård och omsorg Storvik",
            "Vård- och omsorgsgivare som tillsammans med kommunen tar emot undersköterskor och vårdbiträden under utbildning.",
            Some("Q"),
            johanna,
            &[1, 5, 4],
        ),
        (
            "Service och restaurang Ekdala",
            "Kaféer, restauranger och servicefirmor. Fokus på språkstöd på arbetsplatsen och korta utbildningar.",
            Some("I"),
            samir,
            &[2, 7, 8],
        ),
    ];
    let mut ring_ids = Vec::new();
    for (name, description, focus, host, members) in rings {
        let r = ring::ActiveModel {
            name: Set(name.to_owned()),
            description: Set(description.to_owned()),
            sector_focus: Set(focus.map(str::to_owned)),
            host_coordinator_id: Set(host),
            status: Set("active".to_owned()),
            // The rings have run for a little over two years (their statistics
            // then have earlier years to show).
            created_at: Set(now - Duration::days(800)),
            updated_at: Set(now - Duration::days(150)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (k, f) in members.iter().enumerate() {
            membership::ActiveModel {
                ring_id: Set(r.id),
                firm_id: Set(firm_ids[*f]),
                joined_at: Set(now - Duration::days(790 - 10 * k as i64)),
                joined_by: Set(Some(host)),
                left_at: Set(None),
                left_by: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        ring_ids.push(r.id);
    }
    // History: the logistics firm was in the service ring for a while.
    membership::ActiveModel {
        ring_id: Set(ring_ids[2]),
        firm_id: Set(firm_ids[3]),
        joined_at: Set(now - Duration::days(130)),
        joined_by: Set(Some(samir)),
        left_at: Set(Some(now - Duration::days(40))),
        left_by: Set(Some(samir)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    println!("  rings: {}", ring_ids.len());
    // Invitations in every state: accepted, pending, expired, revoked.
    let per = account("per@ekholms-bygg.test").await?;
    let invitations = [
        (
            0,
            0,
            "Per Ekholm",
            "per@ekholms-bygg.test",
            140,
            Some(per),
            false,
        ),
        (
            0,
            3,
            "Henrik Lindqvist",
            "henrik@lindqvist-logistik.test",
            3,
            None,
            false,
        ),
        (
            2,
            7,
            "Yusuf Demir",
            "yusuf@hamnkrogen.test",
            30,
            None,
            false,
        ),
        (
            0,
            9,
            "Mats Norrby",
            "mats@norrby-fastighet.test",
            20,
            None,
            true,
        ),
    ];
    for (ring, firm, name, email, days_ago, accepted_by, revoked) in invitations {
        let sent = now - Duration::days(days_ago);
        invitation::ActiveModel {
            ring_id: Set(ring_ids[ring]),
            firm_id: Set(firm_ids[firm]),
            email: Set(email.to_owned()),
            name: Set(name.to_owned()),
            locale: Set("sv".to_owned()),
            // Demo links are never mailed: the hash is of a token nobody has.
            token_hash: Set(app::ssr::sha256_hex(&app::ssr::random_token(32))),
            expires_at: Set(sent + Duration::days(app::rings::service::INVITATION_DAYS)),
            invited_by: Set(samir),
            send_count: Set(1),
            last_sent_at: Set(sent),
            accepted_at: Set(accepted_by.map(|_| sent + Duration::days(1))),
            accepted_user_id: Set(accepted_by),
            revoked_at: Set(revoked.then(|| sent + Duration::days(2))),
            revoked_by: Set(revoked.then_some(samir)),
            created_at: Set(sent),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    println!(
        "  invitations: {} (accepted, pending, expired, revoked)",
        invitations.len()
    );
    // Meetings: one before and one after today in each ring, 08:00–10:00.
    let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
    let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default();
    let places = [
        "Ekholms Bygg, Verkstadsgatan 4",
        "Björkdalens Vårdhem, samlingssalen",
        "Café Nyström, Torget 2",
    ];
    let employers: Vec<i32> = [
        account("per@ekholms-bygg.test").await?,
        account("leila@storvik-omsorg.test").await?,
        account("tove@cafe-nystrom.test").await?,
    ]
    .to_vec();
    let mut meetings = 0;
    for (k, ring_id) in ring_ids.iter().enumerate() {
        for offset in [-21 + k as i64 * 3, 9 + k as i64 * 4] {
            let day = today + Duration::days(offset);
            let (Some(starts_at), Some(ends_at)) = (
                app::i18n::stockholm_instant(day, eight),
                app::i18n::stockholm_instant(day, ten),
            ) else {
                continue;
            };
            let m = meeting::ActiveModel {
                ring_id: Set(*ring_id),
                starts_at: Set(starts_at),
                ends_at: Set(ends_at),
                place: Set(places[k].to_owned()),
                agenda: Set("1. Runda: läget i företagen\n2. Rekryteringsbehov just nu\n3. Erfarenheter av praktik och handledning\n4. Nästa träff".to_owned()),
                created_by: Set(samir),
                created_at: Set(now - Duration::days(30)),
                updated_at: Set(now - Duration::days(30)),
                ..Default::default()
            }
            .insert(db)
            .await?;
            response::ActiveModel {
                meeting_id: Set(m.id),
                user_id: Set(employers[k]),
                answer: Set("yes".to_owned()),
                attended: Set((offset < 0).then_some(true)),
                updated_at: Set(now - Duration::days(25)),
            }
            .insert(db)
            .await?;
            meetings += 1;
        }
    }
    println!("  ring meetings: {meetings}");
    needs(db, &ring_ids, &firm_ids, samir).await?;
    let people = [
        account("per@ekholms-bygg.test").await?,
        account("leila@storvik-omsorg.test").await?,
        account("tove@cafe-nystrom.test").await?,
        account("anders@bjorkdalen.test").await?,
        samir,
        johanna,
    ];
    discussions(db, &ring_ids, &people).await
}

/// Demo threads: (ring, pinned, title, [(author index into `people`, days ago, text)]).
type ThreadSeed = (
    usize,
    bool,
    &'static str,
    &'static [(usize, i64, &'static str)],
);

const THREADS: &[ThreadSeed] = &[
    (
        1,
        false,
        "Språkstöd på arbetsplatsen",
        &[
            (
                1,
                20,
                "Vi har två nya undersköterskor som läser sfi på kvällarna. Hur gör ni med **språkstöd** under arbetsdagen? Vi har provat bildstöd i dokumentationen.",
            ),
            (
                3,
                18,
                "Vi har ett *språkombud* på varje avdelning: en kollega som har fått en kort utbildning och tar de svåra samtalen. Det har hjälpt mycket.\n\nKommunen har material: [Språkombud i vård och omsorg](https://www.socialstyrelsen.se).",
            ),
            (
                5,
                17,
                "Språkombud kan ingå i den korta utbildningen vi erbjuder ringen. Jag tar med det till nästa träff.",
            ),
            (
                3,
                2,
                "Nu har två hos oss gått utbildningen till språkombud. Hör av er om ni vill komma och se hur vi gör.",
            ),
        ],
    ),
    (
        0,
        false,
        "Första veckorna på praktiken",
        &[
            (
                0,
                30,
                "Vår lärling började i måndags. Tips till er andra: gå igenom skyddsutrustningen **första dagen** och låt handledaren ha tid avsatt i schemat.",
            ),
            (
                4,
                29,
                "Bra! Glöm inte att stämma av med mig efter två veckor, så följer vi upp handlingsplanen tillsammans.",
            ),
        ],
    ),
    (
        2,
        false,
        "Mentorskap – hur gör ni?",
        &[
            (
                2,
                4,
                "Vi är bara sex anställda. Har någon fått mentorskap att fungera i ett litet företag?\n\n- Vem blir mentor?\n- Hur mycket tid?",
            ),
            // Written today: a daily digest of the demo has news to show.
            (
                4,
                0,
                "Flera små företag i ringen delar på en mentor från ett större. Vi tar upp det på nästa ringträff.",
            ),
        ],
    ),
    (
        2,
        true,
        "Praktiska tips: scheman, arbetskläder och körkort",
        &[(
            4,
            40,
            "Samlade tips från ringträffarna:\n\n1. Skicka schemat en vecka i förväg.\n2. Arbetskläder första dagen.\n3. Körkort: kommunen kan hjälpa med teori på lätt svenska.",
        )],
    ),
];

/// Believable discussions in each ring.
async fn discussions(
    db: &DatabaseConnection,
    ring_ids: &[i32],
    people: &[i32],
) -> anyhow::Result<()> {
    use app::forum::entity::{post, thread};
    use chrono::{Duration, Utc};
    use sea_orm::{ActiveModelTrait, Set};

    let now = Utc::now();
    for (ring, pinned, title, posts) in THREADS {
        let started = now - Duration::days(posts.first().map_or(0, |p| p.1));
        let last = now - Duration::days(posts.last().map_or(0, |p| p.1));
        let t = thread::ActiveModel {
            ring_id: Set(ring_ids[*ring]),
            need_id: Set(None),
            title: Set((*title).to_owned()),
            author_id: Set(people[posts.first().map_or(4, |p| p.0)]),
            pinned: Set(*pinned),
            locked_at: Set(None),
            created_at: Set(started),
            last_activity_at: Set(last),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (author, days, text) in posts.iter() {
            post::ActiveModel {
                thread_id: Set(t.id),
                author_id: Set(people[*author]),
                body: Set((*text).to_owned()),
                created_at: Set(now - Duration::days(*days)),
                edited_at: Set(None),
                deleted_at: Set(None),
                hidden_at: Set(None),
                hidden_by: Set(None),
                hidden_reason: Set(String::new()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    println!("  discussion threads: {}", THREADS.len());
    Ok(())
}

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
async fn needs(
    db: &DatabaseConnection,
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
