//! Demo rings: three rings with their members and history, invitations in every
//! state, and meetings before and after today.

use app::db::Db;
use app::rings::entity::{invitation, meeting, membership, response, ring};
use chrono::{Duration, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, Set};

use super::People;

/// A ring: (name, description, sector focus, host, member firm indexes).
type RingSeed = (
    &'static str,
    &'static str,
    Option<&'static str>,
    i32,
    &'static [usize],
);

/// The rings of `firm_ids` (indexes as in the demo firms); returns the ring ids.
pub(super) async fn demo(db: &Db, firm_ids: &[i32], people: &People) -> anyhow::Result<Vec<i32>> {
    let People { samir, johanna, .. } = *people;
    let now = Utc::now();
    let today = app::i18n::today();
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
    let per = people.per;
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
    let employers: Vec<i32> = [people.per, people.leila, people.tove].to_vec();
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
    Ok(ring_ids)
}
