//! Writing and searching the audit log. The only way the application writes it.

use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};

use super::{AuditEntry, CodesOfWords};
use crate::{error::AppError, ssr::sql};

/// What was done, as the log records it. The stored names are the ones the log has
/// always used (it is append-only: renaming them would split one action in two), so
/// older ones are in the present tense (`candidate.create`) and newer ones in the past
/// (`firm.created`); the type keeps new code from inventing more spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `account.created`
    AccountCreated,
    /// `account.disabled`
    AccountDisabled,
    /// `account.enabled`
    AccountEnabled,
    /// `account.role_changed`
    AccountRoleChanged,
    /// `candidate.activity`
    CandidateActivity,
    /// `candidate.assess`
    CandidateAssess,
    /// `candidate.create`
    CandidateCreate,
    /// `candidate.education`
    CandidateEducation,
    /// `candidate.erase`
    CandidateErase,
    /// `candidate.export`
    CandidateExport,
    /// `candidate.health.read`
    CandidateHealthRead,
    /// `candidate.health.write`
    CandidateHealthWrite,
    /// `candidate.language`
    CandidateLanguage,
    /// `candidate.match`
    CandidateMatch,
    /// `candidate.occupation`
    CandidateOccupation,
    /// `candidate.plan`
    CandidatePlan,
    /// `candidate.pool.add`
    CandidatePoolAdd,
    /// `candidate.pool.remove`
    CandidatePoolRemove,
    /// `candidate.read`
    CandidateRead,
    /// `candidate.remove`
    CandidateRemove,
    /// `candidate.shortlist.add`
    CandidateShortlistAdd,
    /// `candidate.shortlist.remove`
    CandidateShortlistRemove,
    /// `candidate.team`
    CandidateTeam,
    /// `candidate.update`
    CandidateUpdate,
    /// `consent.record`
    ConsentRecord,
    /// `consent.withdraw`
    ConsentWithdraw,
    /// `consent_text.create`
    ConsentTextCreate,
    /// `digest.unsubscribe`
    DigestUnsubscribe,
    /// `firm.contacted`
    FirmContacted,
    /// `firm.created`
    FirmCreated,
    /// `firm.updated`
    FirmUpdated,
    /// `interest.agreed`
    InterestAgreed,
    /// `interest.create`
    InterestCreate,
    /// `interest.meeting`
    InterestMeeting,
    /// `interest.outcome`
    InterestOutcome,
    /// `invitation.accepted`
    InvitationAccepted,
    /// `invitation.resent`
    InvitationResent,
    /// `invitation.revoked`
    InvitationRevoked,
    /// `invitation.sent`
    InvitationSent,
    /// `login.failure`
    LoginFailure,
    /// `login.success`
    LoginSuccess,
    /// `logout`
    Logout,
    /// `meeting.attendance`
    MeetingAttendance,
    /// `meeting.created`
    MeetingCreated,
    /// `need.edited`
    NeedEdited,
    /// `need.posted`
    NeedPosted,
    /// `need.status`
    NeedStatus,
    /// `password_reset.completed`
    PasswordResetCompleted,
    /// `password_reset.requested`
    PasswordResetRequested,
    /// `post.created`
    PostCreated,
    /// `post.deleted`
    PostDeleted,
    /// `post.edited`
    PostEdited,
    /// `post.hidden`
    PostHidden,
    /// `release.create`
    ReleaseCreate,
    /// `release.read`
    ReleaseRead,
    /// `release.revoke`
    ReleaseRevoke,
    /// `ring.created`
    RingCreated,
    /// `ring.firm_added`
    RingFirmAdded,
    /// `ring.firm_left`
    RingFirmLeft,
    /// `ring.updated`
    RingUpdated,
    /// `thread.created`
    ThreadCreated,
    /// `thread.locked`
    ThreadLocked,
    /// `thread.pinned`
    ThreadPinned,
    /// `thread.unlocked`
    ThreadUnlocked,
    /// `thread.unpinned`
    ThreadUnpinned,
    /// `track.commitment`
    TrackCommitment,
    /// `track.created`
    TrackCreated,
    /// `track.enrolled`
    TrackEnrolled,
    /// `track.left`
    TrackLeft,
    /// `track.status`
    TrackStatus,
    /// `track.updated`
    TrackUpdated,
}

impl Action {
    /// Every action (the test below checks that their stored names are distinct).
    pub const ALL: &[Action] = &[
        Action::AccountCreated,
        Action::AccountDisabled,
        Action::AccountEnabled,
        Action::AccountRoleChanged,
        Action::CandidateActivity,
        Action::CandidateAssess,
        Action::CandidateCreate,
        Action::CandidateEducation,
        Action::CandidateErase,
        Action::CandidateExport,
        Action::CandidateHealthRead,
        Action::CandidateHealthWrite,
        Action::CandidateLanguage,
        Action::CandidateMatch,
        Action::CandidateOccupation,
        Action::CandidatePlan,
        Action::CandidatePoolAdd,
        Action::CandidatePoolRemove,
        Action::CandidateRead,
        Action::CandidateRemove,
        Action::CandidateShortlistAdd,
        Action::CandidateShortlistRemove,
        Action::CandidateTeam,
        Action::CandidateUpdate,
        Action::ConsentRecord,
        Action::ConsentWithdraw,
        Action::ConsentTextCreate,
        Action::DigestUnsubscribe,
        Action::FirmContacted,
        Action::FirmCreated,
        Action::FirmUpdated,
        Action::InterestAgreed,
        Action::InterestCreate,
        Action::InterestMeeting,
        Action::InterestOutcome,
        Action::InvitationAccepted,
        Action::InvitationResent,
        Action::InvitationRevoked,
        Action::InvitationSent,
        Action::LoginFailure,
        Action::LoginSuccess,
        Action::Logout,
        Action::MeetingAttendance,
        Action::MeetingCreated,
        Action::NeedEdited,
        Action::NeedPosted,
        Action::NeedStatus,
        Action::PasswordResetCompleted,
        Action::PasswordResetRequested,
        Action::PostCreated,
        Action::PostDeleted,
        Action::PostEdited,
        Action::PostHidden,
        Action::ReleaseCreate,
        Action::ReleaseRead,
        Action::ReleaseRevoke,
        Action::RingCreated,
        Action::RingFirmAdded,
        Action::RingFirmLeft,
        Action::RingUpdated,
        Action::ThreadCreated,
        Action::ThreadLocked,
        Action::ThreadPinned,
        Action::ThreadUnlocked,
        Action::ThreadUnpinned,
        Action::TrackCommitment,
        Action::TrackCreated,
        Action::TrackEnrolled,
        Action::TrackLeft,
        Action::TrackStatus,
        Action::TrackUpdated,
    ];

    /// The name stored in `audit_log.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AccountCreated => "account.created",
            Action::AccountDisabled => "account.disabled",
            Action::AccountEnabled => "account.enabled",
            Action::AccountRoleChanged => "account.role_changed",
            Action::CandidateActivity => "candidate.activity",
            Action::CandidateAssess => "candidate.assess",
            Action::CandidateCreate => "candidate.create",
            Action::CandidateEducation => "candidate.education",
            Action::CandidateErase => "candidate.erase",
            Action::CandidateExport => "candidate.export",
            Action::CandidateHealthRead => "candidate.health.read",
            Action::CandidateHealthWrite => "candidate.health.write",
            Action::CandidateLanguage => "candidate.language",
            Action::CandidateMatch => "candidate.match",
            Action::CandidateOccupation => "candidate.occupation",
            Action::CandidatePlan => "candidate.plan",
            Action::CandidatePoolAdd => "candidate.pool.add",
            Action::CandidatePoolRemove => "candidate.pool.remove",
            Action::CandidateRead => "candidate.read",
            Action::CandidateRemove => "candidate.remove",
            Action::CandidateShortlistAdd => "candidate.shortlist.add",
            Action::CandidateShortlistRemove => "candidate.shortlist.remove",
            Action::CandidateTeam => "candidate.team",
            Action::CandidateUpdate => "candidate.update",
            Action::ConsentRecord => "consent.record",
            Action::ConsentWithdraw => "consent.withdraw",
            Action::ConsentTextCreate => "consent_text.create",
            Action::DigestUnsubscribe => "digest.unsubscribe",
            Action::FirmContacted => "firm.contacted",
            Action::FirmCreated => "firm.created",
            Action::FirmUpdated => "firm.updated",
            Action::InterestAgreed => "interest.agreed",
            Action::InterestCreate => "interest.create",
            Action::InterestMeeting => "interest.meeting",
            Action::InterestOutcome => "interest.outcome",
            Action::InvitationAccepted => "invitation.accepted",
            Action::InvitationResent => "invitation.resent",
            Action::InvitationRevoked => "invitation.revoked",
            Action::InvitationSent => "invitation.sent",
            Action::LoginFailure => "login.failure",
            Action::LoginSuccess => "login.success",
            Action::Logout => "logout",
            Action::MeetingAttendance => "meeting.attendance",
            Action::MeetingCreated => "meeting.created",
            Action::NeedEdited => "need.edited",
            Action::NeedPosted => "need.posted",
            Action::NeedStatus => "need.status",
            Action::PasswordResetCompleted => "password_reset.completed",
            Action::PasswordResetRequested => "password_reset.requested",
            Action::PostCreated => "post.created",
            Action::PostDeleted => "post.deleted",
            Action::PostEdited => "post.edited",
            Action::PostHidden => "post.hidden",
            Action::ReleaseCreate => "release.create",
            Action::ReleaseRead => "release.read",
            Action::ReleaseRevoke => "release.revoke",
            Action::RingCreated => "ring.created",
            Action::RingFirmAdded => "ring.firm_added",
            Action::RingFirmLeft => "ring.firm_left",
            Action::RingUpdated => "ring.updated",
            Action::ThreadCreated => "thread.created",
            Action::ThreadLocked => "thread.locked",
            Action::ThreadPinned => "thread.pinned",
            Action::ThreadUnlocked => "thread.unlocked",
            Action::ThreadUnpinned => "thread.unpinned",
            Action::TrackCommitment => "track.commitment",
            Action::TrackCreated => "track.created",
            Action::TrackEnrolled => "track.enrolled",
            Action::TrackLeft => "track.left",
            Action::TrackStatus => "track.status",
            Action::TrackUpdated => "track.updated",
        }
    }
}

impl std::fmt::Debug for dyn Actor + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.actor_label())
    }
}

/// Whoever acts, as the log names them. `auth` implements it for the logged-in
/// person, so the log needs no concept's types.
pub trait Actor: Sync {
    /// The account's id.
    fn actor_id(&self) -> i32;
    /// How the log shows them: "name <e-mail>".
    fn actor_label(&self) -> String;
}

/// The outcome of an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It happened.
    Ok,
    /// It was not allowed or the input was wrong.
    Refused,
    /// It broke.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

/// One event for the log.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// Who did it, if logged in.
    pub actor: Option<&'a dyn Actor>,
    /// What was done, e.g. `login.success`.
    pub action: Action,
    /// The kind of object, e.g. `user`.
    pub object_type: &'a str,
    /// Which one.
    pub object_id: Option<String>,
    /// How it went.
    pub outcome: Outcome,
    /// A short detail.
    pub detail: String,
    /// The caller's address.
    pub ip: Option<String>,
}

impl<'a> Event<'a> {
    /// A successful action on object `id` of kind `object_type` (`firm`, `ring`, …).
    pub fn ok(
        actor: Option<&'a dyn Actor>,
        action: Action,
        object_type: &'a str,
        id: i32,
        detail: String,
        ip: Option<String>,
    ) -> Self {
        Self {
            actor,
            action,
            object_type,
            object_id: Some(id.to_string()),
            outcome: Outcome::Ok,
            detail,
            ip,
        }
    }

    /// A successful action on the account `user_id` (logins, resets, account changes).
    pub fn on_user(
        actor: Option<&'a dyn Actor>,
        action: Action,
        user_id: i32,
        detail: String,
        ip: Option<String>,
    ) -> Self {
        Self::ok(actor, action, "user", user_id, detail, ip)
    }
}

/// Appends `event` to the log on `db` (pass the action's transaction when it has one).
pub async fn record(db: &impl ConnectionTrait, event: Event<'_>) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let (actor_id, actor) = match event.actor {
        Some(actor) => (Some(actor.actor_id()), actor.actor_label()),
        None => (None, "anonymous".to_owned()),
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id, outcome, detail, ip) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ),
        [
            Utc::now().into(),
            actor_id.into(),
            actor.into(),
            event.action.as_str().into(),
            event.object_type.into(),
            event.object_id.into(),
            event.outcome.as_str().into(),
            event.detail.into(),
            event.ip.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The newest entries whose actor, action, object or detail contain `query`, as
/// stored (codes such as `login.failure`).
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<AuditEntry>, AppError> {
    search_with(db, query, &CodesOfWords::default(), &[], limit).await
}

/// [`search`], also finding what the query means in words (`words`: the actions,
/// outcomes and object the reader's words stand for, see [`crate::audit::in_codes`])
/// and entries about the candidates `candidates` (those whose name matched).
pub async fn search_with(
    db: &impl ConnectionTrait,
    query: &str,
    words: &CodesOfWords,
    candidates: &[i32],
    limit: u64,
) -> Result<Vec<AuditEntry>, AppError> {
    let backend = db.get_database_backend();
    let pattern = format!(
        "%{}%",
        query
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let mut conditions = vec![
        "LOWER(actor) LIKE ? ESCAPE '\\'".to_owned(),
        "LOWER(action) LIKE ? ESCAPE '\\'".to_owned(),
        "LOWER(object_type || ':' || COALESCE(object_id, '')) LIKE ? ESCAPE '\\'".to_owned(),
        "LOWER(detail) LIKE ? ESCAPE '\\'".to_owned(),
    ];
    let mut values: Vec<sea_orm::Value> = vec![pattern.clone().into(); 4];
    let placeholders = |n: usize| vec!["?"; n].join(", ");
    if !words.actions.is_empty() {
        conditions.push(format!("action IN ({})", placeholders(words.actions.len())));
        values.extend(words.actions.iter().map(|a| a.clone().into()));
    }
    if !words.outcomes.is_empty() {
        conditions.push(format!(
            "outcome IN ({})",
            placeholders(words.outcomes.len())
        ));
        values.extend(words.outcomes.iter().map(|o| o.clone().into()));
    }
    if let Some((kind, id)) = &words.object {
        conditions.push("(object_type = ? AND object_id = ?)".to_owned());
        values.push(kind.clone().into());
        values.push(id.clone().into());
    }
    // Candidates found by name: at most a page's worth, so the statement stays small.
    let candidates = &candidates[..candidates.len().min(200)];
    if !candidates.is_empty() {
        conditions.push(format!(
            "(object_type = 'candidate' AND object_id IN ({}))",
            placeholders(candidates.len())
        ));
        values.extend(candidates.iter().map(|id| id.to_string().into()));
    }
    values.push((limit as i64).into());
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "SELECT at, actor, action, object_type, object_id, outcome, detail FROM audit_log \
                     WHERE {} ORDER BY id DESC LIMIT ?",
                    conditions.join(" OR ")
                ),
            ),
            values,
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AuditEntry {
                at: row.try_get("", "at")?,
                actor: row.try_get("", "actor")?,
                action: row.try_get("", "action")?,
                object_type: row.try_get("", "object_type")?,
                object_id: row.try_get("", "object_id")?,
                outcome: row.try_get("", "outcome")?,
                detail: row.try_get("", "detail")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::Action;
    use std::collections::HashSet;

    #[test]
    fn every_action_has_its_own_stored_name() {
        let names: HashSet<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            names.len(),
            Action::ALL.len(),
            "two actions share a stored name"
        );
        for name in names {
            assert!(
                !name.is_empty()
                    && name.split('.').all(|part| !part.is_empty()
                        && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
                "{name}"
            );
        }
    }

    #[test]
    fn every_action_has_words_in_both_languages() {
        for locale in crate::i18n::Locale::ALL {
            for action in Action::ALL {
                let key = crate::audit::action_key(action.as_str());
                assert!(locale.try_t(&key).is_some(), "{key} in {locale:?}");
            }
        }
    }
}
