//! Logins and sessions: login with throttling, sessions with idle and absolute
//! timeouts, and password resets. The admin's account changes are in `accounts`, the
//! password hashing in `passwords`.

use crate::ssr::BeginWrite;
use std::collections::HashMap;

use crate::db::Db;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    Statement, sea_query::Expr,
};

use super::{
    SessionUser,
    entity::{password_reset, session, user},
    model::{Email, NewPassword, Role},
    passwords::{hash_password, verify_password},
};
use crate::{
    audit::service::{self as audit, Action, Event, Outcome},
    error::AppError,
    i18n::Locale,
    mail,
    ssr::{Ctx, random_token, sha256_hex, sql},
};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::hours(2);
/// A session ends this long after login, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, to spare the database.
const TOUCH_EVERY: Duration = Duration::minutes(1);
// Login throttling (OWASP ASVS 5.0 V6.1.1: documented anti-automation that cannot be
// turned into a malicious lockout; V6.3.1: brute force and credential stuffing are
// slowed). Failures are counted over a window under several keys; which limits apply
// depends on whether the browser shows a device cookie that this account was
// logged in with before (OWASP's "device cookies"):
//
// - a browser without one is refused after PAIR failures for this account from its
//   address, ACCOUNT failures for this account from anywhere, or ADDRESS failures
//   from its address for any accounts (a NAT or a proxy's many people share one);
// - a browser with the account's device cookie is refused only after DEVICE failures
//   under that cookie: an attacker elsewhere cannot lock its person out.
//
// Reset requests are counted apart from logins, so they cannot lock anyone out.
// The address is the client's as the trusted proxies report it (`BROAR_TRUSTED_PROXIES`).

/// Failed logins counted over this window.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Failures allowed for one account from one address (no device cookie).
pub const MAX_FAILURES_PER_PAIR: i64 = 5;
/// Failures allowed for one account from any address (no device cookie).
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 10;
/// Failures allowed from one address for any accounts (no device cookie).
pub const MAX_FAILURES_PER_ADDRESS: i64 = 100;
/// Failures allowed under one device cookie before it stops counting as known.
pub const MAX_FAILURES_PER_DEVICE: i64 = 5;
/// Reset requests allowed from one address in the window.
pub const MAX_RESETS_PER_ADDRESS: i64 = 20;
/// Reset e-mails sent to one account in the window (more are silently not sent).
pub const MAX_RESETS_PER_ACCOUNT: i64 = 3;
/// The device cookie's name and lifetime.
pub const DEVICE_COOKIE: &str = "broar_device";
/// How long a device cookie is kept, in days.
pub const DEVICE_DAYS: i64 = 365;
/// How long a reset link works.
pub const RESET_HOURS: i64 = 2;
/// How long the first-password link of a new account works.
pub const WELCOME_HOURS: i64 = 72;

/// A hash of a random password, verified against when the e-mail is unknown so the
/// answer takes as long as for a known one.
async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async { hash_password(&random_token(16)).await.unwrap_or_default() })
        .await
}

fn to_session_user(u: &user::Model) -> Option<SessionUser> {
    Some(SessionUser {
        id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        role: Role::parse(&u.role)?,
        firm_id: u.firm_id,
    })
}

/// The failures counted under each of `subjects` within the window.
async fn failures(
    db: &impl ConnectionTrait,
    subjects: &[&str],
) -> Result<HashMap<String, i64>, AppError> {
    let backend = db.get_database_backend();
    let list = crate::ssr::placeholders(subjects.len());
    let mut values: Vec<sea_orm::Value> = subjects.iter().map(|s| (*s).into()).collect();
    values.push((Utc::now() - THROTTLE_WINDOW).into());
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "SELECT subject, COUNT(*) AS n FROM login_attempts \
                     WHERE subject IN ({list}) AND at > ? GROUP BY subject"
                ),
            ),
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "subject")?, r.try_get("", "n")?)))
        .collect()
}

/// A device cookie for `user_id`: the id, a random nonce and a signature.
pub fn device_token(secret: &crate::ssr::Secret, user_id: i32) -> String {
    let nonce = random_token(12);
    let signature = crate::ssr::sign(secret, &format!("device:{user_id}:{nonce}"));
    format!("{user_id}.{nonce}.{signature}")
}

/// The account and nonce of a genuine device cookie.
pub fn verify_device(secret: &crate::ssr::Secret, token: &str) -> Option<(i32, String)> {
    let mut parts = token.trim().splitn(3, '.');
    let user_id: i32 = parts.next()?.parse().ok()?;
    let nonce = parts.next()?;
    let signature = parts.next()?;
    let expected = crate::ssr::sign(secret, &format!("device:{user_id}:{nonce}"));
    crate::ssr::constant_time_eq(signature, &expected).then(|| (user_id, nonce.to_owned()))
}

async fn record_failure(db: &impl ConnectionTrait, subjects: &[&str]) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    for subject in subjects {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO login_attempts (subject, at) VALUES (?, ?)",
            ),
            [(*subject).into(), Utc::now().into()],
        ))
        .await?;
    }
    // Old attempts are no longer counted; keep the table small.
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "DELETE FROM login_attempts WHERE at < ?"),
        [(Utc::now() - THROTTLE_WINDOW * 4).into()],
    ))
    .await?;
    Ok(())
}

/// Checks e-mail and password. Unknown addresses, wrong passwords and disabled
/// accounts get the same answer after the same work; too many failures are refused
/// before any password is checked, by the limits above. `device` is the browser's
/// device cookie, if it sent one.
pub async fn authenticate(
    ctx: &Ctx,
    email: &str,
    password: &str,
    device: Option<&str>,
) -> Result<SessionUser, AppError> {
    let db = &ctx.db;
    // What was typed keys the counts, cut to an address's longest (254): a long text
    // must not make an index entry the database refuses.
    let typed: String = email.trim().to_lowercase().chars().take(254).collect();
    let ip = ctx.ip.as_deref().unwrap_or("-");
    let found = match Email::parse(email) {
        Ok(email) => {
            user::Entity::find()
                .filter(user::Column::Email.eq(email.as_str()))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    let known_device = device
        .and_then(|d| verify_device(&ctx.config.secret, d))
        .filter(|(id, _)| found.as_ref().is_some_and(|u| u.id == *id))
        .map(|(_, nonce)| format!("device:{nonce}"));
    let account_key = format!("account:{typed}");
    let pair_key = format!("pair:{typed}|{ip}");
    let address_key = format!("ip:{ip}");
    let mut keys = vec![
        account_key.as_str(),
        pair_key.as_str(),
        address_key.as_str(),
    ];
    keys.extend(known_device.as_deref());
    let counts = failures(db, &keys).await?;
    let count = |key: &str| counts.get(key).copied().unwrap_or(0);
    let throttled = match &known_device {
        Some(device_key) => count(device_key) >= MAX_FAILURES_PER_DEVICE,
        None => {
            count(&pair_key) >= MAX_FAILURES_PER_PAIR
                || count(&account_key) >= MAX_FAILURES_PER_ACCOUNT
                || count(&address_key) >= MAX_FAILURES_PER_ADDRESS
        }
    };
    if throttled {
        metrics::counter!("broar_login_throttled_total").increment(1);
        audit::record(db, failed_login_event(ctx, email, "throttled")).await?;
        return Err(AppError::TooManyRequests);
    }
    let hash = match &found {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await.to_owned(),
    };
    let (ok, outdated) = verify_password(&hash, password).await?;
    let usable = found
        .as_ref()
        .filter(|u| ok && u.disabled_at.is_none())
        .and_then(|u| to_session_user(u).map(|s| (u.clone(), s)));
    let Some((account, session_user)) = usable else {
        metrics::counter!("broar_login_failures_total").increment(1);
        record_failure(db, &keys).await?;
        audit::record(
            db,
            failed_login_event(ctx, email, "wrong e-mail or password"),
        )
        .await?;
        return Err(AppError::Conflict("error-login-failed".into()));
    };
    if outdated {
        let mut active = account.into_active_model();
        active.password_hash = Set(hash_password(password).await?);
        active.updated_at = Set(Utc::now());
        active.update(db).await?;
    }
    let backend = db.get_database_backend();
    // This address and this browser start afresh; the account's count from elsewhere
    // stays (an attack on it goes on while its person logs in).
    let mut cleared = vec![pair_key.clone()];
    cleared.extend(known_device.clone());
    let list = crate::ssr::placeholders(cleared.len());
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!("DELETE FROM login_attempts WHERE subject IN ({list})"),
        ),
        cleared
            .into_iter()
            .map(sea_orm::Value::from)
            .collect::<Vec<_>>(),
    ))
    .await?;
    audit::record(
        db,
        Event::on_user(
            Some(&session_user),
            Action::LoginSuccess,
            session_user.id,
            String::new(),
            ctx.ip.clone(),
        ),
    )
    .await?;
    Ok(session_user)
}

fn failed_login_event<'a>(ctx: &Ctx, email: &str, why: &str) -> Event<'a> {
    Event {
        actor: None,
        action: Action::LoginFailure,
        object_type: "user",
        object_id: None,
        outcome: Outcome::Refused,
        // The typed address, cut short: it may be a mistyped password.
        detail: format!(
            "{why}: {}",
            email.trim().chars().take(80).collect::<String>()
        ),
        ip: ctx.ip.clone(),
    }
}

/// Starts a new session for `user_id` and returns its token (for the cookie). A new
/// token at every login: a session id known before login is worth nothing after it.
pub async fn start_session(db: &Db, user_id: i32) -> Result<String, AppError> {
    let token = random_token(32);
    let now = Utc::now();
    session::ActiveModel {
        id_hash: Set(sha256_hex(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user of a live session, or `None`. A session past its idle or absolute
/// timeout, or of a disabled account, is deleted.
pub async fn load_session(db: &Db, token: &str) -> Result<Option<SessionUser>, AppError> {
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id_hash = sha256_hex(token);
    // The session and its account in one statement: every page asks.
    let rows = crate::ssr::query_all(
        db,
        "SELECT s.created_at, s.last_seen_at, u.id, u.name, u.email, u.role, u.firm_id, \
         u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
        vec![id_hash.clone().into()],
    )
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let created: DateTime<Utc> = row.try_get("", "created_at")?;
    let last_seen: DateTime<Utc> = row.try_get("", "last_seen_at")?;
    let disabled: Option<DateTime<Utc>> = row.try_get("", "disabled_at")?;
    let now = Utc::now();
    let expired = now - last_seen > IDLE_TIMEOUT || now - created > ABSOLUTE_TIMEOUT;
    if expired || disabled.is_some() {
        session::Entity::delete_by_id(id_hash).exec(db).await?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::IdHash.eq(id_hash))
            .exec(db)
            .await?;
    }
    let Some(role) = Role::parse(&row.try_get::<String>("", "role")?) else {
        return Ok(None);
    };
    Ok(Some(SessionUser {
        id: row.try_get("", "id")?,
        name: row.try_get("", "name")?,
        email: row.try_get("", "email")?,
        role,
        firm_id: row.try_get("", "firm_id")?,
    }))
}

/// Stores `locale` as the language of the logged-in user's e-mails.
pub async fn set_locale(db: &Db, token: &str, locale: Locale) -> Result<(), AppError> {
    let Some(user) = load_session(db, token).await? else {
        return Ok(());
    };
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE users SET locale = ?, updated_at = ? WHERE id = ?",
        ),
        [locale.code().into(), Utc::now().into(), user.id.into()],
    ))
    .await?;
    Ok(())
}

/// Ends the session with `token`.
pub async fn end_session(db: &Db, token: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(sha256_hex(token))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of `user_id`.
pub async fn end_all_sessions(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    let result = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The host part of `base_url`, for Message-IDs.
pub fn host_of(base_url: &str) -> String {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost")
        .to_owned()
}

/// Stores a reset token and queues the e-mail with its link, in one transaction.
pub(super) async fn issue_reset(
    db: &impl ConnectionTrait,
    base_url: &str,
    account: &user::Model,
    hours: i64,
    make_mail: impl FnOnce(&str) -> mail::OutgoingEmail,
) -> Result<(), AppError> {
    let token = random_token(32);
    let now = Utc::now();
    password_reset::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        user_id: Set(account.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(hours)),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    let link = format!("{base_url}/aterstall-losenord?token={token}");
    mail::service::enqueue(db, &make_mail(&link), &host_of(base_url)).await?;
    Ok(())
}

/// Sends a reset link to `email` if it has an enabled account; does nothing visible
/// otherwise, so the answer does not tell who has an account.
pub async fn request_reset(ctx: &Ctx, email: &Email, page_locale: Locale) -> Result<(), AppError> {
    let address_key = format!("reset-ip:{}", ctx.ip.as_deref().unwrap_or("-"));
    let account_key = format!("reset-account:{}", email.as_str());
    let counts = failures(&ctx.db, &[&address_key, &account_key]).await?;
    if counts.get(&address_key).copied().unwrap_or(0) >= MAX_RESETS_PER_ADDRESS {
        metrics::counter!("broar_login_throttled_total").increment(1);
        return Err(AppError::TooManyRequests);
    }
    // Counted apart from logins: a flood of reset requests slows itself only.
    record_failure(&ctx.db, &[&address_key, &account_key]).await?;
    if counts.get(&account_key).copied().unwrap_or(0) >= MAX_RESETS_PER_ACCOUNT {
        // Nobody's mailbox is flooded; the answer stays the same.
        return Ok(());
    }
    let Some(account) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::DisabledAt.is_null())
        .one(&ctx.db)
        .await?
    else {
        return Ok(());
    };
    let locale = Locale::parse(&account.locale).unwrap_or(page_locale);
    let txn = ctx.db.begin_write().await?;
    issue_reset(&txn, &ctx.config.base_url, &account, RESET_HOURS, |link| {
        mail::templates::password_reset(locale, &account.email, &account.name, link, RESET_HOURS)
    })
    .await?;
    audit::record(
        &txn,
        Event::on_user(
            None,
            Action::PasswordResetRequested,
            account.id,
            String::new(),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the password with a reset token: the token must exist, be unused and
/// unexpired; it is then used up and every session of the account ends.
pub async fn complete_reset(
    ctx: &Ctx,
    token: &str,
    password: &NewPassword,
) -> Result<(), AppError> {
    let hash = hash_password(password.expose()).await?;
    let txn = ctx.db.begin_write().await?;
    let now = Utc::now();
    let found = password_reset::Entity::find_by_id(sha256_hex(token.trim()))
        .one(&txn)
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > now);
    let Some(reset) = found else {
        return Err(AppError::Conflict("error-reset-invalid".into()));
    };
    // Mark used only if still unused: two tabs submitting at once cannot both win.
    let backend = txn.get_database_backend();
    let claimed = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            ),
            [now.into(), reset.token_hash.clone().into()],
        ))
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::Conflict("error-reset-invalid".into()));
    }
    let Some(account) = user::Entity::find_by_id(reset.user_id).one(&txn).await? else {
        return Err(AppError::Conflict("error-reset-invalid".into()));
    };
    let account_id = account.id;
    let mut active = account.into_active_model();
    active.password_hash = Set(hash);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    end_all_sessions(&txn, account_id).await?;
    audit::record(
        &txn,
        Event::on_user(
            None,
            Action::PasswordResetCompleted,
            account_id,
            String::new(),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn message_ids_use_the_portal_host() {
        assert_eq!(host_of("https://broar.ekdala.se"), "broar.ekdala.se");
        assert_eq!(host_of("http://127.0.0.1:3000"), "127.0.0.1");
    }
}
