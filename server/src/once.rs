//! Create forms act once. A form drawn with `once` (`app::ui::PostForm`) carries a
//! fresh token in [`app::ui::ONCE_FIELD`]; the first post with that token claims it
//! (`form_submissions`, a unique key, so several processes on one database agree) and
//! its answer is kept. A second post with the same token — a second press before the
//! answer came, a double click, a browser resending the form — waits for the first
//! and gets the same answer: one reply, one need, one candidate, with or without
//! JavaScript. A refused post releases its token, so the corrected form can be sent.

use std::{future::Future, time::Duration as StdDuration};

use app::db::Db;
use app::ssr::{sha256_hex, sql};
use axum::{
    body::{Body, Bytes, to_bytes},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};

/// How long a token and its answer are kept.
const KEEP_HOURS: i64 = 24;
/// How long a second post waits for the first one's answer.
const WAIT: StdDuration = StdDuration::from_secs(15);
/// Answers of create actions are ids and short texts; a larger one is not kept.
const BODY_MAX: usize = 16 * 1024;

/// The form's once-token, when it has a well-formed one.
fn token_of(body: &[u8]) -> Option<String> {
    let token = form_urlencoded::parse(body)
        .find(|(name, _)| name == app::ui::ONCE_FIELD)
        .map(|(_, value)| value.into_owned())?;
    let well_formed = (16..=64).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    well_formed.then_some(token)
}

/// Runs `run` (the rest of the request) at most once per form token: see the module
/// documentation. `session` scopes the token to the browser's session; `plain` says
/// whether the browser posted the form itself (no JavaScript).
pub async fn run_once<F>(
    db: &Db,
    session: Option<&str>,
    path: &str,
    body: &Bytes,
    run: F,
) -> Response
where
    F: Future<Output = Response>,
{
    let Some(token) = token_of(body) else {
        return run.await;
    };
    let key = sha256_hex(&format!("{}\n{path}\n{token}", session.unwrap_or("-")));
    let mut run = Some(run);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match claim(db, &key, path).await {
            Ok(true) => {
                let Some(run) = run.take() else {
                    break;
                };
                return settle(db, &key, run.await).await;
            }
            Ok(false) => {}
            Err(err) => {
                // The database will refuse the action too; let it say so.
                tracing::error!("could not claim a form token: {err:#}");
                if let Some(run) = run.take() {
                    return run.await;
                }
                break;
            }
        }
        match answer(db, &key).await {
            Ok(Some(kept)) => return kept,
            Ok(None) => {}
            Err(err) => tracing::error!("could not read a form token's answer: {err:#}"),
        }
        if tokio::time::Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // The first post is still running after the wait: say so rather than run twice.
    let err = app::error::AppError::Conflict("error-form-pending".to_owned());
    (err.status(), axum::Json(err)).into_response()
}

/// Claims `key` for this post; false when another post holds it.
async fn claim(db: &Db, key: &str, path: &str) -> anyhow::Result<bool> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "DELETE FROM form_submissions WHERE created_at < ?"),
        [(now - Duration::hours(KEEP_HOURS)).into()],
    ))
    .await?;
    let inserted = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO form_submissions (key, path, created_at) VALUES (?, ?, ?) \
                 ON CONFLICT (key) DO NOTHING",
            ),
            [key.into(), path.into(), now.into()],
        ))
        .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The first post's answer, once it has one.
async fn answer(db: &Db, key: &str) -> anyhow::Result<Option<Response>> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT status, location, body FROM form_submissions WHERE key = ?",
            ),
            [key.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let Some(status) = row.try_get::<Option<i32>>("", "status")? else {
        return Ok(None);
    };
    let location: Option<String> = row.try_get("", "location")?;
    let body: Option<String> = row.try_get("", "body")?;
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(body.unwrap_or_default()));
    *response.status_mut() = status;
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    } else {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    Ok(Some(response))
}

/// Keeps a successful answer under `key`, or releases the token of a refused post.
async fn settle(db: &Db, key: &str, response: Response) -> Response {
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let refused = location.as_deref().is_some_and(|l| l.contains("__err="));
    let succeeded =
        (response.status().is_success() || response.status().is_redirection()) && !refused;
    let backend = db.get_database_backend();
    if !succeeded {
        release(db, key).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    // A server function's answer is already in memory; the body limit guards the
    // requests, not this.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!("could not read a create action's answer: {err}");
            release(db, key).await;
            return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
        }
    };
    if bytes.len() > BODY_MAX {
        // Not worth keeping (create actions answer with an id): the action is done and
        // its answer goes out; a second post with this token runs on its own.
        release(db, key).await;
        return Response::from_parts(parts, Body::from(bytes));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let kept = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "UPDATE form_submissions SET status = ?, location = ?, body = ? WHERE key = ?",
            ),
            [
                i32::from(parts.status.as_u16()).into(),
                location.into(),
                text.into(),
                key.into(),
            ],
        ))
        .await;
    if let Err(err) = kept {
        // The action is done; a second post would find the token still claimed and
        // wait, then be told it is pending. Nothing is saved twice.
        tracing::error!("could not keep a form's answer: {err:#}");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Frees a token whose post was refused, so the corrected form can use it.
async fn release(db: &Db, key: &str) {
    let backend = db.get_database_backend();
    let freed = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, "DELETE FROM form_submissions WHERE key = ?"),
            [key.into()],
        ))
        .await;
    if let Err(err) = freed {
        tracing::error!("could not release a form token: {err:#}");
    }
}

#[cfg(test)]
mod tests {
    use super::token_of;

    #[test]
    fn only_a_well_formed_token_counts() {
        assert_eq!(
            token_of(b"body=hej&__once=0123456789abcdef01"),
            Some("0123456789abcdef01".to_owned())
        );
        assert_eq!(token_of(b"body=hej"), None);
        assert_eq!(token_of(b"__once=short"), None);
        assert_eq!(token_of(b"__once=0123456789abcdef%27%3B--"), None);
        assert_eq!(
            token_of(&[b"__once=".as_slice(), &[b'a'; 65]].concat()),
            None
        );
    }
}
