//! Demo candidates: about sixty fictional people at every stage of the programme,
//! and a generator of large volumes for the matching benchmark
//! (`seed-demo --candidates 100000`). Every name is invented; personal identity
//! numbers are valid in form but generated; phone numbers are in the range the
//! Swedish Post and Telecom Authority keeps for fiction (070-174 06 05 … 99).

use app::ssr::BeginWrite;
use std::collections::HashSet;

use anyhow::Context;
use app::candidates::{
    entity::{
        activity, assessment, candidate, experience, health, language, plan_step, pool_entry,
        preference, shortlist_entry,
    },
    model::{ActivityKind, Criterion, ExitReason, candidate_swedish_rank},
};
use app::db::Db;
use app::{
    needs::model::EmploymentForm,
    reports::model::{Band, month_of},
};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

const FIRST_WOMEN: &[&str] = &[
    "Amina", "Hawa", "Rahel", "Mariam", "Fatima", "Nour", "Zahra", "Selam", "Olena", "Iryna",
    "Layla", "Samira", "Hodan", "Tsega", "Parwana", "Shirin", "Asli", "Dalia", "Yasmin",
    "Kateryna",
];
const FIRST_MEN: &[&str] = &[
    "Yonas", "Ahmad", "Omar", "Dawit", "Hassan", "Mustafa", "Bilal", "Tesfay", "Andriy", "Karim",
    "Jamal", "Farid", "Abdi", "Mehdi", "Samuel", "Yusuf", "Rami", "Oleksii", "Nabil", "Idris",
];
const LAST: &[&str] = &[
    "Haile",
    "Rahimi",
    "Osman",
    "Kebede",
    "Hosseini",
    "Ali",
    "Tesfaye",
    "Kovalenko",
    "Nasser",
    "Warsame",
    "Ahmadi",
    "Gebre",
    "Yilmaz",
    "Karimi",
    "Abdullahi",
    "Mohammadi",
    "Bondarenko",
    "Said",
    "Tekle",
    "Jafari",
];

/// (first language, other languages) by background; names of languages as codes.
const BACKGROUNDS: &[(&str, &[&str])] = &[
    ("ar", &["en"]),
    ("prs", &["fa"]),
    ("ti", &["am", "en"]),
    ("so", &["ar", "en"]),
    ("uk", &["ru", "en"]),
    ("ku", &["ar", "tr"]),
    ("fa", &["en"]),
    ("am", &["ti"]),
];

/// Occupations near the demo needs (SSYK 2012 unit groups).
const OCCUPATIONS: &[&str] = &[
    "7111", "7112", "7119", "8121", "4322", "4321", "9111", "9119", "5321", "5322", "5330", "9412",
    "9411", "5120", "5131", "2512", "2511", "8332", "7411", "5311", "3332",
];

const EDUCATION_FIELDS: &[&str] = &[
    "Bygg",
    "Vård",
    "Ekonomi",
    "Teknik",
    "Pedagogik",
    "Data",
    "Lantbruk",
    "Handel",
    "",
];
const COUNTRIES_EXPERIENCE: &[&str] = &[
    "Syrien",
    "Afghanistan",
    "Eritrea",
    "Somalia",
    "Ukraina",
    "Irak",
    "Iran",
    "Etiopien",
    "Sverige",
    "Turkiet",
];

/// A valid twelve-digit personnummer for `birth` with serial `serial` (0–999).
fn personnummer(birth: NaiveDate, serial: u32) -> String {
    let nine = format!("{}{serial:03}", &birth.format("%y%m%d").to_string());
    let check = app::firms::model::luhn_check_digit(&nine);
    format!("{}{}{check}", birth.year() / 100, nine)
}

/// One candidate to write.
struct Plan {
    name: String,
    gender: &'static str,
    birth: NaiveDate,
    enrolled: NaiveDate,
    sfi: &'static str,
    swedish: &'static str,
    first_language: &'static str,
    others: &'static [&'static str],
    licence: &'static str,
    experiences: Vec<(&'static str, i16, &'static str)>,
    preferred: Vec<&'static str>,
    criteria: Vec<(Criterion, bool, NaiveDate)>,
    stage: usize,
}

fn plan(rng: &mut StdRng, k: usize, today: NaiveDate) -> Plan {
    let woman = k.is_multiple_of(2);
    let first = if woman {
        FIRST_WOMEN[k % FIRST_WOMEN.len()]
    } else {
        FIRST_MEN[k % FIRST_MEN.len()]
    };
    let last = LAST[(k * 7 + k / 20) % LAST.len()];
    let age = rng.random_range(19..=60);
    let birth = today - Duration::days(age * 365 + rng.random_range(0..365));
    // Enrolled 0–30 months ago: stage follows from time in the programme.
    let months = rng.random_range(0..30);
    let enrolled = today - Duration::days(months * 30 + rng.random_range(0..28));
    let (first_language, others) = BACKGROUNDS[k % BACKGROUNDS.len()];
    let sfi = ["A", "B", "C", "D", "D", ""][rng.random_range(0..6)];
    let swedish = match sfi {
        "A" => "A1",
        "B" => "A2",
        "C" => ["A2", "B1"][rng.random_range(0..2)],
        "D" => ["B1", "B2"][rng.random_range(0..2)],
        _ => ["B2", "C1"][rng.random_range(0..2)],
    };
    let n_exp = rng.random_range(0..3);
    let experiences = (0..n_exp)
        .map(|_| {
            (
                OCCUPATIONS[rng.random_range(0..OCCUPATIONS.len())],
                rng.random_range(1..12),
                COUNTRIES_EXPERIENCE[rng.random_range(0..COUNTRIES_EXPERIENCE.len())],
            )
        })
        .collect();
    let preferred = (0..rng.random_range(1..3))
        .map(|_| OCCUPATIONS[rng.random_range(0..OCCUPATIONS.len())])
        .collect();
    // Assessments grow with time in the programme.
    let assessed = ((months + 1) / 3).min(4) as usize;
    let criteria = Criterion::ALL
        .iter()
        .take(assessed)
        .enumerate()
        .map(|(i, c)| {
            let day = (enrolled + Duration::days(30 + 25 * i as i64)).min(today);
            (*c, rng.random_bool(0.85), day)
        })
        .collect();
    Plan {
        name: format!("{first} {last}"),
        gender: if k % 17 == 5 {
            "other"
        } else if woman {
            "woman"
        } else {
            "man"
        },
        birth,
        enrolled,
        sfi,
        swedish,
        first_language,
        others,
        licence: ["", "", "B", "B", "B,C", "B,CE"][rng.random_range(0..6)],
        experiences,
        preferred,
        criteria,
        stage: (months as usize) / 4,
    }
}

/// Adds the demo candidates unless some exist already.
pub async fn demo(db: &Db, coordinator: i32, ring_ids: &[i32]) -> anyhow::Result<()> {
    use app::needs::entity::need;
    if candidate::Entity::find().count(db).await? > 0 {
        println!("  candidates: already there");
        return Ok(());
    }
    let today = app::i18n::today();
    let now = Utc::now();
    let mut rng = StdRng::seed_from_u64(2026);
    let needs = need::Entity::find().all(db).await?;
    let open: Vec<&need::Model> = needs.iter().filter(|n| n.status == "open").collect();
    let mut ids = Vec::new();
    for k in 0..60 {
        let p = plan(&mut rng, k, today);
        let txn = db.begin_write().await?;
        let c = candidate::ActiveModel {
            name: Set(p.name.clone()),
            personnummer: Set(personnummer(p.birth, 200 + k as u32)),
            email: Set(
                format!("{}@exempel.test", p.name.to_lowercase().replace(' ', "."))
                    .replace(['å', 'ä'], "a")
                    .replace('ö', "o"),
            ),
            phone: Set(format!("070-174 06 {:02}", 5 + k)),
            gender: Set(p.gender.to_owned()),
            birth_date: Set(p.birth),
            permit_date: Set(Some(p.enrolled - Duration::days(rng.random_range(20..200)))),
            enrolled_on: Set(p.enrolled),
            sfi_course: Set(p.sfi.to_owned()),
            sfi_path: Set((!p.sfi.is_empty()).then(|| rng.random_range(1..=3))),
            driving_licence: Set(p.licence.to_owned()),
            available_from: Set(rng
                .random_bool(0.3)
                .then(|| today + Duration::days(rng.random_range(7..90)))),
            hours: Set(if rng.random_bool(0.8) { "full" } else { "part" }.to_owned()),
            availability_note: Set(String::new()),
            job_ready_since: Set(None),
            swedish_rank: Set(0),
            criteria_met: Set(0),
            active: Set(true),
            version: Set(1),
            created_by: Set(Some(coordinator)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        write_children(&txn, c.id, &p, coordinator).await?;
        // The timeline, by stage.
        let activity = |kind: ActivityKind, start: NaiveDate| activity::ActiveModel {
            candidate_id: Set(c.id),
            kind: Set(kind.as_str().to_owned()),
            firm_id: Set(None),
            need_id: Set(None),
            title: Set(String::new()),
            provider: Set(String::new()),
            start_on: Set(start.min(today)),
            end_on: Set(None),
            completed: Set(None),
            employment_form: Set(String::new()),
            exit_reason: Set(String::new()),
            note: Set(String::new()),
            created_by: Set(Some(coordinator)),
            created_at: Set(now),
            ..Default::default()
        };
        let need = (!open.is_empty()).then(|| open[k % open.len()]);
        if p.stage >= 1 && k % 3 != 0 {
            let mut a = activity(ActivityKind::Training, p.enrolled + Duration::days(100));
            a.title = Set([
                "Livsmedelshygien",
                "Truckkort A+B",
                "Basal hygien i vård och omsorg",
                "BAM light",
            ][k % 4]
                .to_owned());
            a.provider = Set("Ekdala vuxenutbildning".to_owned());
            let end = (p.enrolled + Duration::days(130)).min(today);
            a.end_on = Set(Some(end));
            a.completed = Set(Some(end < today && k % 5 != 0));
            a.insert(&txn).await?;
        }
        if p.stage >= 2
            && let Some(n) = need
        {
            let mut a = activity(ActivityKind::Internship, p.enrolled + Duration::days(160));
            a.firm_id = Set(Some(n.firm_id));
            a.need_id = Set(Some(n.id));
            a.end_on = Set(Some(
                (p.enrolled + Duration::days(250)).min(today + Duration::days(60)),
            ));
            a.insert(&txn).await?;
        }
        if p.stage >= 3
            && let Some(n) = need
        {
            let mut a = activity(ActivityKind::Employment, p.enrolled + Duration::days(300));
            a.firm_id = Set(Some(n.firm_id));
            a.employment_form = Set([
                EmploymentForm::IntroductionJob,
                EmploymentForm::NewStartJob,
                EmploymentForm::FixedTerm,
                EmploymentForm::Permanent,
            ][k % 4]
                .as_str()
                .to_owned());
            a.insert(&txn).await?;
        }
        if p.stage >= 4 && k % 4 != 1 {
            // Between day 330 and 659: about a third after the 18 months (day 548).
            activity(
                ActivityKind::SelfSufficiency,
                p.enrolled + Duration::days(330 + ((k * 53) % 330) as i64),
            )
            .insert(&txn)
            .await?;
        } else if p.stage >= 3 && k % 7 == 3 {
            let mut a = activity(ActivityKind::Exit, p.enrolled + Duration::days(280));
            a.exit_reason = Set(ExitReason::ALL[k % ExitReason::ALL.len()]
                .as_str()
                .to_owned());
            a.insert(&txn).await?;
        } else if p.stage == 0 && k % 4 == 0 {
            activity(ActivityKind::Studies, p.enrolled + Duration::days(20))
                .insert(&txn)
                .await?;
        }
        // The team around every third candidate: the Public Employment Service's
        // officer, the SFI teacher while they study, the mentor at the internship's
        // firm; one team meeting; the officer sees to the follow-up step.
        let officer = if k % 3 == 0 {
            let firm_name = match need.filter(|_| p.stage >= 2) {
                Some(n) => app::firms::entity::firm::Entity::find_by_id(n.firm_id)
                    .one(&txn)
                    .await?
                    .map(|f| f.name),
                None => None,
            };
            Some(team(&txn, c.id, k, &p, firm_name, coordinator, today).await?)
        } else {
            None
        };
        // Plan steps: one done, one coming (some overdue).
        for (i, (days, text)) in [
            (10, "Skriva cv tillsammans med koordinatorn"),
            (45, "Studiebesök på en arbetsplats i ringen"),
            (120, "Uppföljningssamtal om praktik"),
        ]
        .iter()
        .enumerate()
        {
            let due = p.enrolled + Duration::days(*days + (k % 9) as i64);
            plan_step::ActiveModel {
                candidate_id: Set(c.id),
                due_on: Set(due),
                description: Set((*text).to_owned()),
                done_on: Set((i == 0 || (due < today && k % 3 != 0)).then_some(due.min(today))),
                created_by: Set(Some(coordinator)),
                created_at: Set(now),
                assignee_id: Set(officer.filter(|_| i == 2)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        if k % 6 == 2 {
            health::ActiveModel {
                candidate_id: Set(c.id),
                obstacles: Set(
                    "Behöver barnomsorg på kvällstid innan skiftarbete är möjligt.".to_owned(),
                ),
                health: Set("Ryggbesvär; undviker tunga lyft enligt läkarintyg.".to_owned()),
                updated_by: Set(Some(coordinator)),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        if !ring_ids.is_empty() && k % 3 == 0 {
            pool_entry::ActiveModel {
                ring_id: Set(ring_ids[k % ring_ids.len()]),
                candidate_id: Set(c.id),
                note: Set("Intresserad av ringens yrken; kan börja med praktik.".to_owned()),
                added_by: Set(Some(coordinator)),
                added_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        app::candidates::service::refresh(&txn, c.id)
            .await
            .map_err(|e| anyhow::anyhow!("candidate {}: {e}", c.id))?;
        txn.commit().await?;
        ids.push(c.id);
    }
    // A shortlist for the first two open needs.
    for (i, n) in open.iter().take(2).enumerate() {
        for (j, id) in ids.iter().skip(i * 5).take(3).enumerate() {
            shortlist_entry::ActiveModel {
                need_id: Set(n.id),
                candidate_id: Set(*id),
                note: Set(if j == 0 {
                    "Stark kandidat, vill träffa företaget."
                } else {
                    ""
                }
                .to_owned()),
                added_by: Set(Some(coordinator)),
                added_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    // Five who left and were erased after the retention time: the reports still
    // count them by what erasure keeps.
    let backend = db.get_database_backend();
    for (i, (gender, age, months, ready, done, exit, form)) in [
        ("woman", 34, 26, Some(80), Some(410), "", "permanent"),
        ("man", 41, 25, Some(150), None, "dropped_out", ""),
        ("woman", 23, 24, Some(60), Some(590), "", "new_start"),
        ("woman", 31, 23, None, None, "parental_leave", ""),
        ("woman", 29, 22, Some(100), Some(300), "", "introduction"),
    ]
    .into_iter()
    .enumerate()
    {
        let enrolled = month_of(today - Duration::days(months * 30 + i as i64));
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            app::ssr::sql(
                backend,
                "INSERT INTO erased_candidates (gender, age_band, enrolled_month, job_ready_days, \
                 self_sufficient_days, exit_reason, had_internship, had_training, employment_form, \
                 reason, erased_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'retention', ?)",
            ),
            [
                gender.into(),
                Band::of_age(age).as_str().into(),
                enrolled.into(),
                ready.into(),
                done.into(),
                exit.into(),
                (i % 2 == 0).into(),
                (i % 3 == 0).into(),
                form.into(),
                now.into(),
            ],
        ))
        .await?;
    }
    println!(
        "  candidates: {} with timelines, plans, pools and shortlists; 5 erased",
        ids.len()
    );
    Ok(())
}

/// The team around demo candidate `k` (see `demo`); returns the officer's id.
async fn team(
    txn: &impl ConnectionTrait,
    candidate_id: i32,
    k: usize,
    p: &Plan,
    firm: Option<String>,
    coordinator: i32,
    today: NaiveDate,
) -> anyhow::Result<i32> {
    use app::candidates::{
        entity::{team_meeting, team_meeting_attendee, team_member},
        model::TeamRole,
    };
    const OFFICERS: &[&str] = &["Lena Ekström", "Jonas Berglind", "Maria Lindqvist"];
    const TEACHERS: &[&str] = &["Karin Holmgren", "Ali Demir"];
    const MENTORS: &[&str] = &["Eva Sjöberg", "Peter Nyberg", "Sanna Åkesson"];
    let now = Utc::now();
    let mut members = Vec::new();
    let mut add = |role: TeamRole, name: &str, organisation: String, started_on: NaiveDate| {
        let n = members.len();
        let email = format!(
            "{}@exempel.test",
            name.to_lowercase()
                .replace(' ', ".")
                .replace(['å', 'ä'], "a")
                .replace('ö', "o")
        );
        members.push(team_member::ActiveModel {
            candidate_id: Set(candidate_id),
            role: Set(role.as_str().to_owned()),
            name: Set(name.to_owned()),
            organisation: Set(organisation),
            // The range kept for fiction (031-390 06 00 … 99).
            phone: Set(format!("031-390 06 {:02}", (k * 3 + n) % 100)),
            email: Set(email),
            started_on: Set(started_on.min(today)),
            ended_on: Set(None),
            created_by: Set(Some(coordinator)),
            created_at: Set(now),
            ..Default::default()
        });
    };
    add(
        TeamRole::EmploymentService,
        OFFICERS[k % OFFICERS.len()],
        "Arbetsförmedlingen Ekdala".to_owned(),
        p.enrolled,
    );
    if !p.sfi.is_empty() {
        add(
            TeamRole::SfiTeacher,
            TEACHERS[k % TEACHERS.len()],
            "Ekdala vuxenutbildning, SFI".to_owned(),
            p.enrolled + Duration::days(7),
        );
    }
    if let Some(firm) = firm {
        add(
            TeamRole::Mentor,
            MENTORS[k % MENTORS.len()],
            firm,
            p.enrolled + Duration::days(160),
        );
    }
    let mut ids = Vec::new();
    for m in members {
        ids.push(m.insert(txn).await?.id);
    }
    let held_on = (p.enrolled + Duration::days(30)).min(today);
    let meeting = team_meeting::ActiveModel {
        candidate_id: Set(candidate_id),
        held_on: Set(held_on),
        notes: Set("Gick igenom handlingsplanen tillsammans med deltagaren.\n\
             Arbetsförmedlingen bokar ett möte om arbetsmarknadsutbildning; \
             SFI-läraren återkommer om nivån i svenska."
            .to_owned()),
        created_by: Set(Some(coordinator)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // Those in the team on the day.
    for id in ids.iter().take(2) {
        team_meeting_attendee::ActiveModel {
            meeting_id: Set(meeting.id),
            member_id: Set(*id),
        }
        .insert(txn)
        .await?;
    }
    Ok(ids[0])
}

async fn write_children(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
    p: &Plan,
    coordinator: i32,
) -> anyhow::Result<()> {
    let now = Utc::now();
    language::ActiveModel {
        candidate_id: Set(id),
        language: Set(p.first_language.to_owned()),
        level: Set("L1".to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    language::ActiveModel {
        candidate_id: Set(id),
        language: Set("sv".to_owned()),
        level: Set(p.swedish.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (i, other) in p.others.iter().enumerate() {
        language::ActiveModel {
            candidate_id: Set(id),
            language: Set((*other).to_owned()),
            level: Set(["B1", "A2", "B2"][i % 3].to_owned()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let field = EDUCATION_FIELDS[(id as usize) % EDUCATION_FIELDS.len()];
    app::candidates::entity::education::ActiveModel {
        candidate_id: Set(id),
        isced: Set([2, 3, 3, 4, 6, 1][(id as usize) % 6]),
        field: Set(field.to_owned()),
        country: Set(COUNTRIES_EXPERIENCE[(id as usize) % 8].to_owned()),
        years: Set([9, 12, 12, 2, 3, 6][(id as usize) % 6]),
        validated: Set(id % 5 == 0),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (code, years, country) in &p.experiences {
        experience::ActiveModel {
            candidate_id: Set(id),
            occupation_code: Set((*code).to_owned()),
            years: Set(*years),
            country: Set((*country).to_owned()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let mut seen = HashSet::new();
    for code in &p.preferred {
        if seen.insert(*code) {
            preference::ActiveModel {
                candidate_id: Set(id),
                occupation_code: Set((*code).to_owned()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    for (criterion, met, day) in &p.criteria {
        assessment::ActiveModel {
            candidate_id: Set(id),
            criterion: Set(criterion.as_str().to_owned()),
            met: Set(*met),
            assessed_on: Set(*day),
            assessor_id: Set(Some(coordinator)),
            assessor_name: Set("Samir Haddad".to_owned()),
            comment: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Adds generated candidates until there are `total`, in batches (for benchmarks):
/// languages, occupations and assessments are written so every derived column is
/// what the service would compute.
/// A generated candidate's timeline by stage, as the demo's (for the reports'
/// benchmark): training, internship, a job, then self-sufficiency or an exit.
fn bulk_timeline(
    id: i32,
    p: &Plan,
    k: usize,
    today: NaiveDate,
    now: chrono::DateTime<Utc>,
) -> Vec<activity::ActiveModel> {
    let entry = |kind: ActivityKind, day: i64| activity::ActiveModel {
        candidate_id: Set(id),
        kind: Set(kind.as_str().to_owned()),
        firm_id: Set(None),
        need_id: Set(None),
        title: Set(String::new()),
        provider: Set(String::new()),
        start_on: Set((p.enrolled + Duration::days(day)).min(today)),
        end_on: Set(None),
        completed: Set(None),
        employment_form: Set(String::new()),
        exit_reason: Set(String::new()),
        note: Set(String::new()),
        created_by: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let mut out = Vec::new();
    if p.stage >= 1 && !k.is_multiple_of(3) {
        let mut a = entry(ActivityKind::Training, 100);
        a.end_on = Set(Some((p.enrolled + Duration::days(130)).min(today)));
        out.push(a);
    }
    if p.stage >= 2 {
        let mut a = entry(ActivityKind::Internship, 160);
        a.end_on = Set(Some(p.enrolled + Duration::days(250)));
        out.push(a);
    }
    if p.stage >= 3 {
        let mut a = entry(ActivityKind::Employment, 300);
        a.employment_form = Set(EmploymentForm::ALL[1 + k % 4].as_str().to_owned());
        out.push(a);
    }
    if p.stage >= 4 && k % 4 != 1 {
        out.push(entry(
            ActivityKind::SelfSufficiency,
            330 + ((k * 53) % 330) as i64,
        ));
    } else if p.stage >= 3 && k % 7 == 3 {
        let mut a = entry(ActivityKind::Exit, 280);
        a.exit_reason = Set(ExitReason::ALL[k % ExitReason::ALL.len()]
            .as_str()
            .to_owned());
        out.push(a);
    }
    out
}

pub async fn bulk(db: &Db, total: usize) -> anyhow::Result<()> {
    let have = candidate::Entity::find().count(db).await? as usize;
    if have >= total {
        println!("  candidates: {have} already (asked for {total})");
        return Ok(());
    }
    let today = app::i18n::today();
    let now = Utc::now();
    let mut rng = StdRng::seed_from_u64(have as u64 + 1);
    let mut taken: HashSet<String> = candidate::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.personnummer)
        .collect();
    let batch = 500;
    let mut made = have;
    while made < total {
        let n = batch.min(total - made);
        let txn = db.begin_write().await?;
        let mut rows = Vec::with_capacity(n);
        let mut plans = Vec::with_capacity(n);
        for i in 0..n {
            let p = plan(&mut rng, made + i, today);
            let mut pnr = personnummer(p.birth, rng.random_range(0..1000));
            while !taken.insert(pnr.clone()) {
                pnr = personnummer(p.birth, rng.random_range(0..1000));
            }
            let met = p.criteria.iter().filter(|c| c.1).count() as i16;
            rows.push(candidate::ActiveModel {
                name: Set(p.name.clone()),
                personnummer: Set(pnr),
                email: Set(String::new()),
                phone: Set(String::new()),
                gender: Set(p.gender.to_owned()),
                birth_date: Set(p.birth),
                permit_date: Set(None),
                enrolled_on: Set(p.enrolled),
                sfi_course: Set(p.sfi.to_owned()),
                sfi_path: Set(None),
                driving_licence: Set(p.licence.to_owned()),
                available_from: Set(None),
                hours: Set("full".to_owned()),
                availability_note: Set(String::new()),
                job_ready_since: Set((met == 4)
                    .then(|| p.criteria.iter().map(|c| c.2).max())
                    .flatten()),
                swedish_rank: Set(candidate_swedish_rank(Some(p.swedish), p.sfi)),
                criteria_met: Set(met),
                active: Set(true),
                version: Set(1),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            plans.push(p);
        }
        candidate::Entity::insert_many(rows).exec(&txn).await?;
        // The ids just written, in order (one writer: this batch's transaction).
        let ids: Vec<i32> = {
            use sea_orm::{QueryOrder, QuerySelect};
            let mut ids: Vec<i32> = candidate::Entity::find()
                .select_only()
                .column(candidate::Column::Id)
                .order_by_desc(candidate::Column::Id)
                .limit(n as u64)
                .into_tuple()
                .all(&txn)
                .await?;
            ids.reverse();
            ids
        };
        let mut languages = Vec::new();
        let mut experiences = Vec::new();
        let mut preferences = Vec::new();
        let mut assessments = Vec::new();
        let mut timeline = Vec::new();
        for (k, (id, p)) in ids.iter().zip(&plans).enumerate() {
            timeline.extend(bulk_timeline(*id, p, made + k, today, now));
            languages.push(language::ActiveModel {
                candidate_id: Set(*id),
                language: Set("sv".to_owned()),
                level: Set(p.swedish.to_owned()),
                ..Default::default()
            });
            for (code, years, country) in &p.experiences {
                experiences.push(experience::ActiveModel {
                    candidate_id: Set(*id),
                    occupation_code: Set((*code).to_owned()),
                    years: Set(*years),
                    country: Set((*country).to_owned()),
                    ..Default::default()
                });
            }
            let unique: HashSet<&str> = p.preferred.iter().copied().collect();
            for code in unique {
                preferences.push(preference::ActiveModel {
                    candidate_id: Set(*id),
                    occupation_code: Set(code.to_owned()),
                    ..Default::default()
                });
            }
            for (criterion, met, day) in &p.criteria {
                assessments.push(assessment::ActiveModel {
                    candidate_id: Set(*id),
                    criterion: Set(criterion.as_str().to_owned()),
                    met: Set(*met),
                    assessed_on: Set(*day),
                    assessor_id: Set(None),
                    assessor_name: Set("Generated".to_owned()),
                    comment: Set(String::new()),
                    created_at: Set(now),
                    ..Default::default()
                });
            }
        }
        language::Entity::insert_many(languages).exec(&txn).await?;
        if !experiences.is_empty() {
            experience::Entity::insert_many(experiences)
                .exec(&txn)
                .await?;
        }
        preference::Entity::insert_many(preferences)
            .exec(&txn)
            .await?;
        if !assessments.is_empty() {
            assessment::Entity::insert_many(assessments)
                .exec(&txn)
                .await?;
        }
        if !timeline.is_empty() {
            activity::Entity::insert_many(timeline).exec(&txn).await?;
        }
        txn.commit()
            .await
            .context("writing a batch of candidates")?;
        made += n;
        if made % 10_000 < batch {
            println!("  candidates: {made} of {total}");
        }
    }
    // Every server process loads its matching facts again.
    app::candidates::ranking::invalidate(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // Fresh statistics (and on PostgreSQL the visibility map that lets index-only
    // scans skip the table), as autovacuum or a periodic ANALYZE would keep them.
    let tidy = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(tidy).await?;
    let active = candidate::Entity::find()
        .filter(candidate::Column::Active.eq(true))
        .count(db)
        .await?;
    println!("  candidates: {made} ({active} active)");
    Ok(())
}
