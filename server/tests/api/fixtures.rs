//! Firms and rings put straight into the database, for tests that need them to exist.

use app::{
    auth::entity::user,
    firms::entity::firm,
    forum::entity::{post, thread},
    needs::entity::need,
    rings::entity::{invitation, meeting, membership, ring},
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::helpers::{TestApp, random_hex};

/// Two firms, each in its own ring, with meetings and a pending invitation in ring A.
pub struct Rings {
    pub firm_a: i32,
    pub firm_b: i32,
    pub ring_a: i32,
    pub ring_b: i32,
    /// A meeting in ring A next week.
    pub meeting: i32,
    /// A meeting in ring A last week.
    pub past_meeting: i32,
    /// A pending invitation into ring A.
    pub invitation: i32,
    /// A third firm, also in ring A.
    pub firm_c: i32,
    /// An open need of firm A in ring A.
    pub need: i32,
    /// An open need of firm C in ring A.
    pub other_need: i32,
    /// A draft of firm C in ring A.
    pub other_draft: i32,
    /// A discussion thread in ring A, started by a coordinator.
    pub thread: i32,
    /// Its first post.
    pub post: i32,
    /// A candidate (in no pool), with a language and an experience.
    pub candidate: i32,
    /// A consent wording (Swedish, v1).
    pub consent_text: i32,
    /// The pseudonym of the candidate's profile released to ring A (an active
    /// consent covers ring A only).
    pub release: String,
    /// A running job track in ring A: firm A confirmed, the candidate enrolled.
    pub track: i32,
}

/// A valid, random personnummer (twelve digits, Luhn) of someone born 1970–1999.
pub fn personnummer() -> String {
    let hex = random_hex(3);
    let n = u32::from_str_radix(&hex, 16).unwrap_or(0);
    let year = 1970 + n % 30;
    let month = 1 + (n / 30) % 12;
    let day = 1 + (n / 360) % 28;
    let serial = (n / 10_080) % 1000;
    let nine = format!("{:02}{month:02}{day:02}{serial:03}", year % 100);
    let check = app::firms::model::luhn_check_digit(&nine);
    format!("{}{nine}{check}", year / 100)
}

/// A valid personnummer (twelve digits, Luhn) of someone born on `birth`, with a
/// serial no one else born that day has had in this test run.
pub fn personnummer_born(birth: chrono::NaiveDate) -> String {
    // A counter per birth date, not chance, and not one counter for all dates: with one
    // shared counter, two people born the same day 1 000 calls apart (tests run in
    // parallel) got the same number.
    static SERIALS: std::sync::Mutex<std::collections::BTreeMap<chrono::NaiveDate, u32>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    let serial = {
        let mut serials = SERIALS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let next = serials.entry(birth).or_insert(0);
        *next += 1;
        assert!(
            *next <= 1000,
            "more than 1 000 people born on {birth} in one run"
        );
        *next - 1
    };
    let nine = format!("{}{serial:03}", &birth.format("%y%m%d").to_string());
    let check = app::firms::model::luhn_check_digit(&nine);
    format!("{}{nine}{check}", birth.format("%C"))
}

/// A valid, random organisation number (ten digits, Luhn).
pub fn org_number() -> String {
    let mut digits: Vec<u32> = random_hex(5)
        .chars()
        .filter_map(|c| c.to_digit(16))
        .map(|d| d % 10)
        .take(9)
        .collect();
    digits[0] = 5;
    let nine: String = digits.iter().map(u32::to_string).collect();
    format!("{nine}{}", app::firms::model::luhn_check_digit(&nine))
}

impl TestApp {
    /// A firm with a random organisation number.
    pub async fn firm(&self, name: &str) -> i32 {
        let now = Utc::now();
        firm::ActiveModel {
            name: Set(name.to_owned()),
            org_number: Set(org_number()),
            employees: Set(12),
            sni_section: Set("F".to_owned()),
            address: Set(String::new()),
            municipality_id: Set(None),
            contact_name: Set(String::new()),
            contact_email: Set(String::new()),
            contact_phone: Set(String::new()),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("firm")
        .id
    }

    /// A ring (hosted by a new coordinator) with `firms` in it.
    pub async fn ring(&self, name: &str, firms: &[i32]) -> i32 {
        let (host_email, _) = self.account(app::auth::model::Role::Coordinator).await;
        let host = self.user_id(&host_email).await;
        let now = Utc::now();
        let r = ring::ActiveModel {
            name: Set(name.to_owned()),
            description: Set(String::new()),
            sector_focus: Set(None),
            host_coordinator_id: Set(host),
            status: Set("active".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("ring");
        for f in firms {
            membership::ActiveModel {
                ring_id: Set(r.id),
                firm_id: Set(*f),
                joined_at: Set(now),
                joined_by: Set(Some(host)),
                left_at: Set(None),
                left_by: Set(None),
                ..Default::default()
            }
            .insert(&self.db)
            .await
            .expect("membership");
        }
        r.id
    }

    /// A meeting in `ring` starting `days` from now (negative: in the past).
    pub async fn meeting(&self, ring: i32, days: i64) -> i32 {
        let start = Utc::now() + Duration::days(days);
        meeting::ActiveModel {
            ring_id: Set(ring),
            starts_at: Set(start),
            ends_at: Set(start + Duration::hours(2)),
            place: Set("Kommunhuset, rum 3".to_owned()),
            agenda: Set("Runda; behov, praktik".to_owned()),
            created_by: Set(1),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("meeting")
        .id
    }

    /// A need for `firm` in `ring` with `status`, for a cook, starting in a month.
    pub async fn need(&self, ring: i32, firm: i32, status: &str) -> i32 {
        self.need_for(ring, firm, status, "5120", "", "").await
    }

    /// An open need for `occupation` asking for `swedish` and `licence` ("" none).
    pub async fn need_in(
        &self,
        ring: i32,
        firm: i32,
        occupation: &str,
        swedish: &str,
        licence: &str,
    ) -> i32 {
        self.need_for(ring, firm, "open", occupation, swedish, licence)
            .await
    }

    async fn need_for(
        &self,
        ring: i32,
        firm: i32,
        status: &str,
        occupation: &str,
        swedish: &str,
        licence: &str,
    ) -> i32 {
        let now = Utc::now();
        need::ActiveModel {
            ring_id: Set(ring),
            firm_id: Set(firm),
            occupation_code: Set(occupation.to_owned()),
            title: Set(match occupation {
                "5120" => format!("Kock ({status})"),
                other => format!("Behov {other} ({status})"),
            }),
            description: Set(String::new()),
            positions: Set(1),
            required_skills: Set(String::new()),
            merit_skills: Set(String::new()),
            swedish_level: Set(swedish.to_owned()),
            other_languages: Set(String::new()),
            driving_licence: Set(licence.to_owned()),
            start_date: Set(now.date_naive() + Duration::days(30)),
            employment_form: Set("permanent".to_owned()),
            internship_first: Set(false),
            suggested_training: Set(String::new()),
            status: Set(status.to_owned()),
            created_by: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("need")
        .id
    }

    /// A thread in `ring` by `author` with one post; returns (thread, post).
    pub async fn thread(&self, ring: i32, author: i32, title: &str) -> (i32, i32) {
        let now = Utc::now();
        let t = thread::ActiveModel {
            ring_id: Set(ring),
            need_id: Set(None),
            title: Set(title.to_owned()),
            author_id: Set(author),
            pinned: Set(false),
            locked_at: Set(None),
            created_at: Set(now),
            last_activity_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("thread");
        let p = self
            .post(t.id, author, "Här delar vi **erfarenheter**.", now)
            .await;
        (t.id, p)
    }

    /// A post in `thread` by `author` written `at`; returns its id.
    pub async fn post(&self, thread: i32, author: i32, body: &str, at: DateTime<Utc>) -> i32 {
        post::ActiveModel {
            thread_id: Set(thread),
            author_id: Set(author),
            body: Set(body.to_owned()),
            created_at: Set(at),
            edited_at: Set(None),
            deleted_at: Set(None),
            hidden_at: Set(None),
            hidden_by: Set(None),
            hidden_reason: Set(String::new()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("post")
        .id
    }

    /// The id of the account with `email`.
    pub async fn user_id(&self, email: &str) -> i32 {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .expect("query")
            .expect("account")
            .id
    }

    /// A logged-in employer at `firm`, and their account id.
    pub async fn employer_at(&self, firm: i32) -> (reqwest::Client, i32) {
        let (email, password) = self.account(app::auth::model::Role::Employer).await;
        let id = self.user_id(&email).await;
        user::Entity::update_many()
            .col_expr(user::Column::FirmId, sea_orm::sea_query::Expr::value(firm))
            .filter(user::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .expect("set firm");
        let client = crate::helpers::new_client();
        let res = client
            .post(format!("{}/api/auth/login", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(crate::helpers::encode(&[
                ("email", &email),
                ("password", &password),
            ]))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200, "employer login");
        (client, id)
    }

    /// Two rings with one firm each, meetings and an invitation.
    /// A candidate named `name` with a random personnummer, Swedish B1, three years
    /// as a cook (5120); returns the id.
    pub async fn candidate(&self, name: &str) -> i32 {
        use app::candidates::entity::{candidate, experience, language};
        let now = Utc::now();
        let pnr = personnummer();
        let birth = chrono::NaiveDate::parse_from_str(&pnr[..8], "%Y%m%d").expect("birth date");
        let id = candidate::ActiveModel {
            name: Set(name.to_owned()),
            personnummer: Set(pnr),
            email: Set(format!("kandidat-{}@exempel.test", random_hex(4))),
            phone: Set("070-174 06 99".to_owned()),
            gender: Set("woman".to_owned()),
            birth_date: Set(birth),
            permit_date: Set(None),
            enrolled_on: Set(app::i18n::today() - Duration::days(100)),
            sfi_course: Set(String::new()),
            sfi_path: Set(None),
            driving_licence: Set("B".to_owned()),
            available_from: Set(None),
            hours: Set("full".to_owned()),
            availability_note: Set(String::new()),
            job_ready_since: Set(None),
            swedish_rank: Set(0),
            criteria_met: Set(0),
            active: Set(true),
            version: Set(1),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("candidate")
        .id;
        language::ActiveModel {
            candidate_id: Set(id),
            language: Set("sv".to_owned()),
            level: Set("B1".to_owned()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("language");
        experience::ActiveModel {
            candidate_id: Set(id),
            occupation_code: Set("5120".to_owned()),
            years: Set(3),
            country: Set("Syrien".to_owned()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("experience");
        crate::helpers::refresh(&self.db, id).await;
        id
    }

    /// A running job track in `ring` (assistant nurses, 5321, from two weeks ago for
    /// three months, ten seats): `firm` confirmed two internships and one job, and
    /// `candidate` is enrolled.
    pub async fn track(&self, ring: i32, firm: i32, candidate: i32) -> i32 {
        use app::tracks::entity::{track, track_firm, track_participant};
        let now = Utc::now();
        let today = app::i18n::today();
        let t = track::ActiveModel {
            ring_id: Set(ring),
            occupation_code: Set("5321".to_owned()),
            title: Set(format!("Undersköterska {}", random_hex(3))),
            training_name: Set("Vård- och omsorgsutbildning, kort".to_owned()),
            provider: Set("Komvux".to_owned()),
            starts_on: Set(today - Duration::days(14)),
            ends_on: Set(today + Duration::days(90)),
            seats: Set(10),
            swedish_level: Set("A2".to_owned()),
            swedish_for_trade: Set(String::new()),
            status: Set("running".to_owned()),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("track");
        track_firm::ActiveModel {
            track_id: Set(t.id),
            firm_id: Set(firm),
            internships: Set(2),
            jobs: Set(1),
            status: Set("confirmed".to_owned()),
            note: Set(String::new()),
            proposed_by: Set(None),
            proposed_at: Set(now),
            answered_by: Set(None),
            answered_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("commitment");
        track_participant::ActiveModel {
            track_id: Set(t.id),
            candidate_id: Set(candidate),
            enrolled_on: Set(today - Duration::days(14)),
            status: Set("enrolled".to_owned()),
            ended_on: Set(None),
            consent_id: Set(None),
            enrolled_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("participant");
        t.id
    }

    /// A consent wording, an active consent of `candidate` covering `ring`, and a
    /// release of a plain profile under it (written directly: the guard and the
    /// release form have their own tests). Returns (wording id, pseudonym).
    pub async fn released(&self, candidate: i32, ring: i32) -> (i32, String) {
        use app::{
            consent::entity::{consent, consent_ring, consent_text},
            releases::{entity::release, model},
        };
        let now = Utc::now();
        let today = app::i18n::today();
        // A new wording version per call: a test may release several candidates.
        static VERSION: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(1);
        let text = consent_text::ActiveModel {
            language: Set("sv".to_owned()),
            version: Set(VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
            title: Set("Samtycke".to_owned()),
            body: Set("Jag samtycker till delning.".to_owned()),
            created_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("consent text")
        .id;
        let c = consent::ActiveModel {
            candidate_id: Set(candidate),
            purpose: Set("Delning".to_owned()),
            text_id: Set(text),
            method: Set("signed".to_owned()),
            witness: Set(String::new()),
            given_on: Set(today - Duration::days(1)),
            expires_on: Set(today + Duration::days(300)),
            recorded_by: Set(None),
            recorded_at: Set(now),
            withdrawn_on: Set(None),
            withdrawn_how: Set(String::new()),
            withdrawn_by: Set(None),
            reminded_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("consent")
        .id;
        consent_ring::ActiveModel {
            consent_id: Set(c),
            ring_id: Set(ring),
        }
        .insert(&self.db)
        .await
        .expect("scope");
        let code = format!("K-{}", random_hex(2).to_uppercase());
        let profile = model::AnonymisedProfile {
            pseudonym: code.clone(),
            headline: "Kock".to_owned(),
            age: Some(model::AgeBand::of(35, 0)),
            swedish: None,
            languages: vec![],
            education: None,
            experience: vec![],
            criteria: None,
            licence: Some(model::ProfileLicence::Any(true)),
            available: Some(model::ProfileAvailability::Month(
                today.format("%Y-%m").to_string(),
            )),
            preferred: vec![],
            summary: String::new(),
        };
        release::ActiveModel {
            consent_id: Set(c),
            candidate_id: Set(candidate),
            ring_id: Set(ring),
            need_id: Set(None),
            pseudonym: Set(code.clone()),
            profile: Set(serde_json::to_string(&profile).expect("json")),
            headline: Set("Kock".to_owned()),
            generalised: Set(false),
            released_by: Set(None),
            released_at: Set(now),
            revoked_at: Set(None),
            revoked_reason: Set(String::new()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("release");
        (text, code)
    }

    pub async fn rings(&self) -> Rings {
        let firm_a = self.firm("Firma A").await;
        let firm_b = self.firm("Firma B").await;
        let firm_c = self.firm("Firma C").await;
        let ring_a = self.ring("Ring A", &[firm_a, firm_c]).await;
        let ring_b = self.ring("Ring B", &[firm_b]).await;
        let meeting = self.meeting(ring_a, 7).await;
        let past_meeting = self.meeting(ring_a, -7).await;
        let now = Utc::now();
        let invitation = invitation::ActiveModel {
            ring_id: Set(ring_a),
            firm_id: Set(firm_a),
            email: Set(format!("inbjuden-{}@firma.test", random_hex(4))),
            name: Set("Inbjuden".to_owned()),
            locale: Set("sv".to_owned()),
            token_hash: Set(random_hex(32)),
            expires_at: Set(now + Duration::days(14)),
            invited_by: Set(1),
            send_count: Set(1),
            last_sent_at: Set(now),
            accepted_at: Set(None),
            accepted_user_id: Set(None),
            revoked_at: Set(None),
            revoked_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("invitation")
        .id;
        let need = self.need(ring_a, firm_a, "open").await;
        let other_need = self.need(ring_a, firm_c, "open").await;
        let other_draft = self.need(ring_a, firm_c, "draft").await;
        let (author_email, _) = self.account(app::auth::model::Role::Coordinator).await;
        let author = self.user_id(&author_email).await;
        let (thread, post) = self.thread(ring_a, author, "Välkommen till ringen").await;
        let candidate = self.candidate("Testa Kandidatsson").await;
        let (consent_text, release) = self.released(candidate, ring_a).await;
        let track = self.track(ring_a, firm_a, candidate).await;
        Rings {
            track,
            consent_text,
            release,
            candidate,
            thread,
            post,
            firm_c,
            need,
            other_need,
            other_draft,
            firm_a,
            firm_b,
            ring_a,
            ring_b,
            meeting,
            past_meeting,
            invitation,
        }
    }
}
