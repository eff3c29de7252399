//! Digest members and their preferences: who gets a digest, how often and for which
//! rings, saved from the preferences page, and the unsubscribe link's effect.

use super::service::execute;
use crate::ssr::BeginWrite;
use std::collections::{HashMap, HashSet};

use crate::db::Db;
use chrono::Utc;
use sea_orm::{ConnectionTrait, QueryResult};

use super::{
    DigestPreferencesView, DigestRingChoice,
    model::{self, Frequency},
};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Locale,
    ssr::query_all as query,
};

/// A member's digest preferences (the defaults when none are stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    /// How often.
    pub frequency: Frequency,
    /// ISO weekday of a weekly digest.
    pub weekday: u8,
    /// The digest's language.
    pub locale: Locale,
    /// Rings left out.
    pub muted: HashSet<i32>,
}

fn prefs_from(
    frequency: Option<String>,
    weekday: Option<i16>,
    locale: Option<String>,
    user_locale: &str,
) -> Prefs {
    Prefs {
        frequency: frequency
            .as_deref()
            .and_then(Frequency::parse)
            .unwrap_or(Frequency::Weekly),
        weekday: weekday
            .and_then(|w| u8::try_from(w).ok())
            .filter(|w| (1..=7).contains(w))
            .unwrap_or(model::DEFAULT_WEEKDAY),
        locale: locale
            .as_deref()
            .or(Some(user_locale))
            .and_then(Locale::parse)
            .unwrap_or_default(),
        muted: HashSet::new(),
    }
}

/// The account behind a digest: an employer whose firm is in at least one active ring.
#[derive(Debug, Clone)]
pub struct Member {
    /// The user id.
    pub user_id: i32,
    /// Where the digest goes.
    pub email: String,
    /// The name, for the greeting.
    pub name: String,
    /// The firm.
    pub firm_id: i32,
    /// The preferences.
    pub prefs: Prefs,
}

impl Member {
    /// A member reading their news on the site (the home, the menu's count): every
    /// ring of their firm, muted for e-mail or not, in the page's language. Only who
    /// they are and their firm matter, so nothing is read for it.
    pub fn reader(user_id: i32, firm_id: i32, locale: Locale) -> Self {
        Self {
            user_id,
            email: String::new(),
            name: String::new(),
            firm_id,
            prefs: Prefs {
                locale,
                ..prefs_from(None, None, None, "")
            },
        }
    }
}

/// Active employer accounts with their stored preferences.
const ACCOUNT_SQL: &str = "SELECT u.id, u.email, u.name, u.locale AS user_locale, u.firm_id, \
     p.frequency, p.weekday, p.locale FROM users u \
     LEFT JOIN digest_preferences p ON p.user_id = u.id \
     WHERE u.role = 'employer' AND u.disabled_at IS NULL AND u.firm_id IS NOT NULL";
/// … whose firm is in an active ring now.
const IN_A_RING: &str = " AND EXISTS (SELECT 1 FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
       WHERE m.firm_id = u.firm_id AND m.left_at IS NULL AND r.status = 'active')";

fn member_from(row: &QueryResult) -> Result<Member, AppError> {
    let user_locale: String = row.try_get("", "user_locale")?;
    Ok(Member {
        user_id: row.try_get("", "id")?,
        email: row.try_get("", "email")?,
        name: row.try_get("", "name")?,
        firm_id: row.try_get("", "firm_id")?,
        prefs: prefs_from(
            row.try_get("", "frequency")?,
            row.try_get("", "weekday")?,
            row.try_get("", "locale")?,
            &user_locale,
        ),
    })
}

async fn muted_of(db: &impl ConnectionTrait) -> Result<HashMap<i32, HashSet<i32>>, AppError> {
    let mut muted: HashMap<i32, HashSet<i32>> = HashMap::new();
    for row in query(
        db,
        "SELECT user_id, ring_id FROM digest_muted_rings",
        vec![],
    )
    .await?
    {
        muted
            .entry(row.try_get("", "user_id")?)
            .or_default()
            .insert(row.try_get("", "ring_id")?);
    }
    Ok(muted)
}

/// Every member who may get a digest, with their preferences.
pub async fn members(db: &impl ConnectionTrait) -> Result<Vec<Member>, AppError> {
    let mut muted = muted_of(db).await?;
    query(
        db,
        &format!("{ACCOUNT_SQL}{IN_A_RING} ORDER BY u.id"),
        vec![],
    )
    .await?
    .iter()
    .map(|row| {
        let mut m = member_from(row)?;
        m.prefs.muted = muted.remove(&m.user_id).unwrap_or_default();
        Ok(m)
    })
    .collect()
}

/// One member (`None`: not an active employer of a firm in an active ring).
pub async fn member(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Member>, AppError> {
    one(db, user_id, IN_A_RING).await
}

/// An active employer's account, whether or not the firm is in a ring now (the
/// settings can be set before the first ring).
pub async fn account(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Member>, AppError> {
    one(db, user_id, "").await
}

async fn one(
    db: &impl ConnectionTrait,
    user_id: i32,
    extra: &str,
) -> Result<Option<Member>, AppError> {
    let rows = query(
        db,
        &format!("{ACCOUNT_SQL}{extra} AND u.id = ?"),
        vec![user_id.into()],
    )
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let mut m = member_from(row)?;
    m.prefs.muted = query(
        db,
        "SELECT ring_id FROM digest_muted_rings WHERE user_id = ?",
        vec![user_id.into()],
    )
    .await?
    .iter()
    .map(|r| r.try_get("", "ring_id"))
    .collect::<Result<_, _>>()?;
    Ok(Some(m))
}

/// The active rings of every firm (`firm` None), or of one: firm → [(ring id, name)],
/// by name.
pub(super) async fn firm_rings(
    db: &impl ConnectionTrait,
    firm: Option<i32>,
) -> Result<HashMap<i32, Vec<(i32, String)>>, AppError> {
    let mut out: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    let (only, values) = match firm {
        Some(id) => (" AND m.firm_id = ?", vec![id.into()]),
        None => ("", vec![]),
    };
    for row in query(
        db,
        &format!(
            "SELECT m.firm_id, r.id, r.name FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
             WHERE m.left_at IS NULL AND r.status = 'active'{only} ORDER BY r.name, r.id"
        ),
        values,
    )
    .await?
    {
        out.entry(row.try_get("", "firm_id")?)
            .or_default()
            .push((row.try_get("", "id")?, row.try_get("", "name")?));
    }
    Ok(out)
}

async fn rings_of_firm(
    db: &impl ConnectionTrait,
    firm_id: i32,
) -> Result<Vec<(i32, String)>, AppError> {
    Ok(firm_rings(db, Some(firm_id))
        .await?
        .remove(&firm_id)
        .unwrap_or_default())
}

/// The settings page's view of `member`'s preferences.
pub async fn preferences_view(
    db: &impl ConnectionTrait,
    member: &Member,
) -> Result<DigestPreferencesView, AppError> {
    let rings = rings_of_firm(db, member.firm_id).await?;
    Ok(DigestPreferencesView {
        name: member.name.clone(),
        email: member.email.clone(),
        frequency: member.prefs.frequency,
        weekday: member.prefs.weekday,
        locale: member.prefs.locale.code().to_owned(),
        rings: rings
            .into_iter()
            .map(|(id, name)| DigestRingChoice {
                included: !member.prefs.muted.contains(&id),
                id,
                name,
            })
            .collect(),
    })
}

/// The fields of the settings form, as posted.
pub struct PreferenceFields {
    /// daily | weekly | never
    pub frequency: String,
    /// 1..=7
    pub weekday: String,
    /// sv | en
    pub locale: String,
    /// The rings ticked.
    pub rings: Vec<String>,
}

/// Stores `member`'s preferences; each field's problem is named.
pub async fn save_preferences(
    db: &Db,
    member: &Member,
    fields: &PreferenceFields,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let frequency = Frequency::parse(&fields.frequency);
    if frequency.is_none() {
        errors.add("frequency", "field-choice-invalid");
    }
    let weekday = fields
        .weekday
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|w| (1..=7).contains(w));
    // The weekday matters only for a weekly digest; an empty one then means Monday.
    let weekday = match (weekday, fields.weekday.trim().is_empty()) {
        (Some(w), _) => Some(w),
        (None, true) => Some(i16::from(model::DEFAULT_WEEKDAY)),
        (None, false) => {
            errors.add("weekday", "field-choice-invalid");
            None
        }
    };
    let locale = Locale::parse(&fields.locale);
    if locale.is_none() {
        errors.add("locale", "field-choice-invalid");
    }
    let rings = rings_of_firm(db, member.firm_id).await?;
    let mut chosen = HashSet::new();
    for r in &fields.rings {
        match r.trim().parse::<i32>() {
            Ok(id) if rings.iter().any(|(rid, _)| *rid == id) => {
                chosen.insert(id);
            }
            _ => errors.add("rings", "field-choice-invalid"),
        }
    }
    if frequency.is_some_and(|f| f != Frequency::Never) && chosen.is_empty() && !rings.is_empty() {
        errors.add("rings", "digest-rings-none");
    }
    let (Some(frequency), Some(weekday), Some(locale)) = (frequency, weekday, locale) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = db.begin_write().await?;
    store_frequency(&txn, member.user_id, frequency, weekday, locale).await?;
    execute(
        &txn,
        "DELETE FROM digest_muted_rings WHERE user_id = ?",
        vec![member.user_id.into()],
    )
    .await?;
    for (id, _) in rings.iter().filter(|(id, _)| !chosen.contains(id)) {
        execute(
            &txn,
            "INSERT INTO digest_muted_rings (user_id, ring_id) VALUES (?, ?)",
            vec![member.user_id.into(), (*id).into()],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn store_frequency(
    db: &impl ConnectionTrait,
    user_id: i32,
    frequency: Frequency,
    weekday: i16,
    locale: Locale,
) -> Result<(), AppError> {
    execute(
        db,
        "INSERT INTO digest_preferences (user_id, frequency, weekday, locale, updated_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET frequency = excluded.frequency, \
         weekday = excluded.weekday, locale = excluded.locale, updated_at = excluded.updated_at",
        vec![
            user_id.into(),
            frequency.as_str().into(),
            weekday.into(),
            locale.code().into(),
            Utc::now().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Turns `user_id`'s digests off (the one-click unsubscribe). Idempotent; the other
/// preferences stay, so turning them on again restores them. Any account may be
/// unsubscribed, also one that is no longer a member.
pub async fn unsubscribe(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    let rows = query(
        db,
        "SELECT u.locale, p.weekday, p.locale AS plocale FROM users u \
         LEFT JOIN digest_preferences p ON p.user_id = u.id WHERE u.id = ?",
        vec![user_id.into()],
    )
    .await?;
    let Some(row) = rows.first() else {
        return Err(AppError::NotFound);
    };
    let user_locale: String = row.try_get("", "locale")?;
    let prefs = prefs_from(
        None,
        row.try_get("", "weekday")?,
        row.try_get("", "plocale")?,
        &user_locale,
    );
    store_frequency(
        db,
        user_id,
        Frequency::Never,
        i16::from(prefs.weekday),
        prefs.locale,
    )
    .await?;
    crate::audit::service::record(
        db,
        crate::audit::service::Event::ok(
            None,
            crate::audit::service::Action::DigestUnsubscribe,
            "user",
            user_id,
            String::new(),
            None,
        ),
    )
    .await
}
