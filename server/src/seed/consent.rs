//! Demo consent: the consent wording in Swedish and English, consents covering every
//! ring for half of the demo candidates and every job-ready one (one later withdrawn),
//! and profiles released through the same service coordinators use — so the
//! re-identification guard decides what is shown, exactly as in real use. Each
//! consented candidate is released toward an open need that fits their experience or
//! wishes, a job-ready one without such a need to the ring with fewest profiles; so
//! every demo employer reads several profiles for their ring's needs.

use std::{collections::HashMap, sync::Arc};

use app::db::Db;
use app::{
    auth::{Authed, SessionUser},
    candidates::entity::{candidate, experience, preference},
    consent::{entity::consent_text, service as consents},
    i18n::Locale,
    needs::entity::need,
    releases::{Guarded, preview::preview, service as releases},
    ssr::{AppConfig, Ctx, Secret},
};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

const TEXT_SV: &str = "Jag samtycker till att kommunens arbetsmarknadsenhet delar en anonymiserad profil om mig med arbetsgivarna i de rekryteringsringar som anges nedan, för att hitta praktik eller arbete.\n\nProfilen innehåller inte mitt namn, mitt personnummer, mina kontaktuppgifter, mitt födelseland, mitt kön eller något om min hälsa. Den visar åldersspann, språk, utbildning, yrkeserfarenhet, körkort och när jag kan börja.\n\nArbetsgivaren får veta mitt namn först när jag har sagt ja till att träffa arbetsgivaren.\n\nSamtycket gäller i tolv månader. Jag kan när som helst ta tillbaka det genom att säga det till min koordinator; då tas alla delade profiler bort direkt.";
const TEXT_EN: &str = "I agree that the municipality's labour-market unit shares an anonymised profile of me with the employers of the recruitment rings named below, to find an internship or a job.\n\nThe profile does not contain my name, personal identity number, contact details, country of birth, gender or anything about my health. It shows an age band, languages, education, work experience, driving licence and when I can start.\n\nAn employer learns my name only once I have agreed to meet that employer.\n\nThe consent is valid for twelve months. I can take it back at any time by telling my coordinator; every shared profile is then removed at once.";

/// Adds the demo's consent wordings, consents and releases (once).
pub async fn demo(db: &Db, coordinator: &SessionUser, ring_ids: &[i32]) -> anyhow::Result<()> {
    if consent_text::Entity::find().count(db).await? > 0 {
        println!("  consent: already there");
        return Ok(());
    }
    let now = Utc::now();
    let mut texts = Vec::new();
    for (language, title, body) in [
        (
            "sv",
            "Samtycke till delning av anonymiserad profil",
            TEXT_SV,
        ),
        ("en", "Consent to sharing an anonymised profile", TEXT_EN),
    ] {
        let t = consent_text::ActiveModel {
            language: Set(language.to_owned()),
            version: Set(1),
            title: Set(title.to_owned()),
            body: Set(body.to_owned()),
            created_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        texts.push(t.id);
    }
    if ring_ids.is_empty() {
        return Ok(());
    }
    let authed = app::auth::Staff::check(Authed {
        ctx: Ctx {
            db: db.clone(),
            config: Arc::new(AppConfig {
                base_url: "http://localhost:3000".into(),
                https: false,
                secret: Secret::new(vec![0; 32]),
                k_anonymity: app::releases::model::DEFAULT_K,
            }),
            matching: Default::default(),
            news: Default::default(),
            user: Some(coordinator.clone()),
            session_token: None,
            ip: None,
        },
        user: coordinator.clone(),
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = app::i18n::today();
    let people = candidate::Entity::find()
        .filter(candidate::Column::Active.eq(true))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?;
    // Open needs of the demo rings, to release each profile toward one it fits.
    let needs = need::Entity::find()
        .filter(need::Column::Status.eq("open"))
        .filter(need::Column::RingId.is_in(ring_ids.iter().copied()))
        .order_by_asc(need::Column::Id)
        .all(db)
        .await?;
    let mut occupations: HashMap<i32, Vec<String>> = HashMap::new();
    for e in experience::Entity::find().all(db).await? {
        occupations
            .entry(e.candidate_id)
            .or_default()
            .push(e.occupation_code);
    }
    for p in preference::Entity::find().all(db).await? {
        occupations
            .entry(p.candidate_id)
            .or_default()
            .push(p.occupation_code);
    }
    let mut consented = 0;
    let mut per_ring = vec![0usize; ring_ids.len()];
    let mut withdrawn_one = false;
    for (k, c) in people.iter().enumerate() {
        // Half of the candidates, and everyone job-ready, has consented.
        if k % 2 != 0 && c.job_ready_since.is_none() {
            continue;
        }
        // Given between one and eleven months ago; one in eight recorded in English.
        let months_ago = 1 + (k as i64 * 7) % 11;
        let given = (today - Duration::days(months_ago * 30)).max(c.enrolled_on);
        let rings: Vec<String> = ring_ids.iter().map(i32::to_string).collect();
        let fields = app::consent::model::ConsentForm {
            text_id: texts[usize::from(k % 8 == 0)].to_string(),
            purpose: "Att en anonymiserad profil delas med arbetsgivarna i de valda rekryteringsringarna, för att hitta praktik eller arbete.".into(),
            method: if k % 5 == 0 { "oral" } else { "signed" }.into(),
            witness: if k % 5 == 0 { "Johanna Berglund".into() } else { String::new() },
            given_on: given.to_string(),
            months: "12".into(),
        };
        let Ok(consent_id) = consents::record(&authed, c.id, &fields, &rings).await else {
            continue;
        };
        consented += 1;
        // Toward the open need (in the ring with the fewest profiles) whose occupation
        // group the candidate has worked in or wants; a job-ready candidate without
        // one goes to the ring with the fewest profiles, as the coordinator would.
        let theirs = occupations
            .get(&c.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let fits = |n: &need::Model| {
            theirs
                .iter()
                .any(|o| o.get(..2) == n.occupation_code.get(..2))
        };
        let slot_of = |ring: i32| ring_ids.iter().position(|r| *r == ring);
        let target = needs
            .iter()
            .filter(|n| fits(n))
            .filter_map(|n| slot_of(n.ring_id).map(|s| (s, Some(n.id))))
            .min_by_key(|(s, _)| per_ring[*s])
            .or_else(|| {
                c.job_ready_since.is_some().then(|| {
                    let s = (0..ring_ids.len())
                        .min_by_key(|i| per_ring[*i])
                        .unwrap_or(0);
                    (s, None)
                })
            });
        let Some((slot, need_id)) = target else {
            continue;
        };
        let ring = ring_ids[slot];
        let preview = preview(&authed, c.id, Some(ring), need_id, None, Locale::Sv)
            .await
            .map_err(|e| anyhow::anyhow!("preview: {e}"))?;
        if !matches!(preview.guard, Some(Guarded::Shown { .. })) {
            continue;
        }
        let headline = match preview.profile.as_ref().and_then(|p| p.experience.first()) {
            Some(e) if !e.name.is_empty() => format!("Erfarenhet: {}", e.name),
            _ => "Motiverad och redo att börja".to_owned(),
        };
        let form = releases::ReleaseFields {
            need_id: need_id.map(|n| n.to_string()).unwrap_or_default(),
            headline: headline.chars().take(100).collect(),
            summary: "Har gått igenom arbetsmarknadsenhetens förberedelser och vill gärna börja med praktik.".into(),
            levels: preview.levels.clone(),
            fingerprint: preview.fingerprint.clone(),
        };
        if let Err(e) = releases::release(&authed, c.id, ring, form).await {
            tracing::warn!(candidate = c.id, "demo release refused: {e}");
            continue;
        }
        per_ring[slot] += 1;
        // The first ring's second release is withdrawn, so "withdrawn" shows too.
        if !withdrawn_one && slot == 0 && per_ring[0] == 2 {
            releases::withdraw_consent(
                &authed,
                consent_id,
                &today.to_string(),
                "Sa det till koordinatorn i telefon",
            )
            .await
            .map_err(|e| anyhow::anyhow!("withdraw: {e}"))?;
            per_ring[0] -= 1;
            withdrawn_one = true;
        }
    }
    let released: usize = per_ring.iter().sum();
    println!("  consent: {consented} consents, {released} profiles released");
    Ok(())
}
