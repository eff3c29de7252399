//! A demo job track in progress: assistant nurses (SSYK 5321) with the care ring,
//! started a month ago — Leila's firm confirmed internships and jobs, another firm
//! of the ring has not answered yet, and the three best-ranked candidates whose
//! consent covers the ring are enrolled, so the track shows up in their timelines,
//! in the reports and, as released profiles, to the confirmed firm.

use app::db::Db;
use app::{
    auth::entity::user,
    candidates::{model::NeedFacts, ranking::MatchingIndex},
    needs::model::SwedishLevel,
    rings::entity::membership,
    tracks::entity::{track, track_firm, track_participant},
};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Adds the demo track (once), run with `ring_id` by coordinator `samir`.
pub async fn demo(db: &Db, samir: i32, ring_id: i32) -> anyhow::Result<()> {
    if track::Entity::find().count(db).await? > 0 {
        println!("  job tracks: already there");
        return Ok(());
    }
    let now = Utc::now();
    let today = app::i18n::today();
    let starts_on = today - Duration::days(30);
    let t = track::ActiveModel {
        ring_id: Set(ring_id),
        occupation_code: Set("5321".to_owned()),
        title: Set("Undersköterska, jobbspår hösten".to_owned()),
        training_name: Set("Vård- och omsorgsutbildning, kort".to_owned()),
        provider: Set("Komvux Ekdala".to_owned()),
        starts_on: Set(starts_on),
        ends_on: Set(today + Duration::days(120)),
        seats: Set(8),
        swedish_level: Set(SwedishLevel::A2.as_str().to_owned()),
        swedish_for_trade: Set(
            "Yrkessvenska för vård och omsorg två förmiddagar i veckan, med SFI Ekdala.".to_owned(),
        ),
        status: Set("running".to_owned()),
        created_by: Set(Some(samir)),
        created_at: Set(now - Duration::days(60)),
        updated_at: Set(now - Duration::days(30)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let leila = user::Entity::find()
        .filter(user::Column::Email.eq("leila@storvik-omsorg.test"))
        .one(db)
        .await?;
    let members: Vec<i32> = membership::Entity::find()
        .filter(membership::Column::RingId.eq(ring_id))
        .filter(membership::Column::LeftAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.firm_id)
        .collect();
    let confirmed = leila
        .as_ref()
        .and_then(|u| u.firm_id)
        .filter(|f| members.contains(f));
    let waiting = members.iter().copied().find(|f| Some(*f) != confirmed);
    for (firm, answered) in [(confirmed, true), (waiting, false)] {
        let Some(firm) = firm else { continue };
        track_firm::ActiveModel {
            track_id: Set(t.id),
            firm_id: Set(firm),
            internships: Set(if answered { 3 } else { 2 }),
            jobs: Set(if answered { 2 } else { 1 }),
            status: Set(if answered { "confirmed" } else { "proposed" }.to_owned()),
            note: Set(if answered {
                "Praktiken kan börja vecka 3 i utbildningen. Handledare finns på båda våra boenden."
                    .to_owned()
            } else {
                String::new()
            }),
            proposed_by: Set(Some(samir)),
            proposed_at: Set(now - Duration::days(45)),
            answered_by: Set(if answered {
                leila.as_ref().map(|u| u.id)
            } else {
                None
            }),
            answered_at: Set(answered.then(|| now - Duration::days(40))),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    // The best-ranked for the occupation whose consent covers the ring, as the
    // coordinator enrols them from the track's page.
    let ranking = MatchingIndex::default()
        .rank(
            db,
            &NeedFacts {
                occupation: "5321".to_owned(),
                swedish: Some(SwedishLevel::A2),
                licence: String::new(),
                start: starts_on,
                training: String::new(),
            },
            40,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut enrolled = 0;
    for score in ranking.scores {
        if enrolled == 3 {
            break;
        }
        let Some(consent) = app::consent::service::covering(db, score.candidate_id, ring_id, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        else {
            continue;
        };
        track_participant::ActiveModel {
            track_id: Set(t.id),
            candidate_id: Set(score.candidate_id),
            enrolled_on: Set(starts_on - Duration::days(10)),
            status: Set("enrolled".to_owned()),
            ended_on: Set(None),
            consent_id: Set(Some(consent.id)),
            enrolled_by: Set(Some(samir)),
            created_at: Set(now - Duration::days(40)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        enrolled += 1;
    }
    println!("  job tracks: 1 running, {enrolled} participants");
    Ok(())
}
